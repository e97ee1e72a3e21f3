"""The clerk UI's language through Qt's translation system (``[language] ui``; docs/mongolian.md).

The source strings are Chinese, so ``zh_CN`` is the source language: its catalogue maps every ``tr()`` string to
itself and loading it changes nothing visible; ``mn_Mong_CN`` translates the applicant-facing wording (from
``app.vocabulary.MONGOLIAN``) and shows the rest in Chinese. The catalogues are built by
``scripts/build_translations.py`` into ``resources/i18n``. The applicant-facing screens do not switch with this
setting: they show both scripts at once as ``app.language`` says.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QTranslator

from app.paths import resource

log = logging.getLogger(__name__)

UI_LOCALES = ("zh_CN", "mn_Mong_CN")
I18N_DIR = resource("i18n")
_installed: list[QTranslator] = []  # the one loaded now (at most one), so a switch replaces it


def install_ui_translation(app: QCoreApplication, locale: str) -> bool:
    """Load ``resources/i18n/<locale>.qm`` in place of the one loaded before (widgets built afterwards show it).
    An unknown locale or a missing file logs why and leaves the UI in Chinese; returns whether one was loaded."""
    while _installed:
        app.removeTranslator(_installed.pop())
    if locale not in UI_LOCALES:
        log.warning("界面语言 %r 不支持（可选 %s），界面使用简体中文", locale, "、".join(UI_LOCALES))
        return False
    translator = QTranslator(app)  # parented to the app: it must live as long as the app does
    path = I18N_DIR / f"{locale}.qm"
    if not translator.load(str(path)):
        log.warning("界面翻译文件 %s 缺失或损坏，界面使用简体中文；请重新安装本程序", path)
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
