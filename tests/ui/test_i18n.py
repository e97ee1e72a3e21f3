"""The clerk UI's language through QTranslator: the catalogues in resources/i18n are complete and current, and
switching the locale changes a real widget's text (applicant-facing wording in Mongolian, the rest Chinese)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.store import Store
from app.vocabulary import MONGOLIAN
from tests.conftest import REPO
from tests.ui._counter_kit import demo_ctx
from ui.admin_forms import ClerkForm
from ui.i18n import I18N_DIR, install_ui_translation


@pytest.fixture
def restore_chinese() -> Iterator[None]:
    yield
    install_ui_translation(QApplication.instance(), "zh_CN")  # type: ignore[arg-type]


def _label_of(form: ClerkForm, field: str) -> str:
    widget, _error = form.fields[field]
    label = form.form.labelForField(widget.parentWidget())
    assert isinstance(label, QLabel)
    return label.text()


def test_switching_the_locale_changes_a_real_widgets_text(qtbot: QtBot, tmp_path: Path, store: Store,
                                                          restore_chinese: None) -> None:
    ctx = demo_ctx(tmp_path, store, login="admin")
    app = QApplication.instance()
    assert install_ui_translation(app, "mn_Mong_CN")  # type: ignore[arg-type]
    form = ClerkForm(ctx, None)
    qtbot.addWidget(form)
    assert _label_of(form, "name") == MONGOLIAN["姓名"]  # applicant-facing wording: translated
    assert _label_of(form, "username") == "用户名"  # not yet translated: stays Chinese
    assert install_ui_translation(app, "zh_CN")  # type: ignore[arg-type]
    again = ClerkForm(ctx, None)
    qtbot.addWidget(again)
    assert _label_of(again, "name") == "姓名"


def test_an_unknown_locale_leaves_the_ui_chinese(qtbot: QtBot, restore_chinese: None) -> None:
    assert not install_ui_translation(QApplication.instance(), "fr_FR")  # type: ignore[arg-type]


def test_catalogues_are_current_and_chinese_is_complete() -> None:
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "build_translations.py"), "--check"],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    zh = ET.parse(I18N_DIR / "zh_CN.ts").getroot()
    messages = list(zh.iter("message"))
    assert len(messages) > 100
    assert all(m.find("translation").get("type") is None and m.findtext("translation") for m in messages)  # type: ignore[union-attr]
    mn = ET.parse(I18N_DIR / "mn_Mong_CN.ts").getroot()
    applicant = next(c for c in mn.iter("context") if c.findtext("name") == "applicant")
    translated = {m.findtext("source"): m.findtext("translation") for m in applicant.iter("message")}
    assert translated == MONGOLIAN  # every applicant-facing string, as the papers and screens word it
    assert (I18N_DIR / "zh_CN.qm").stat().st_size > 0 and (I18N_DIR / "mn_Mong_CN.qm").stat().st_size > 0
