"""A newer catalog version reaching the store (the hub's change feed imports it) is loaded by the counter between
applicants: the next search finds the new wording, and the clerk is told."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.catalog import load_catalog
from app.catalog.store import import_catalog
from app.store import Store
from tests.ui._counter_kit import demo_ctx
from tests.ui.test_counter_flow import child, open_counter


def test_the_counter_switches_to_a_newer_catalog_before_the_next_applicant(qtbot: QtBot, tmp_path: Path,
                                                                           store: Store) -> None:
    window = open_counter(qtbot, demo_ctx(tmp_path, store))
    before = window.intake.resources
    assert before is not None
    shipped = load_catalog()
    newer = dataclasses.replace(
        shipped, version="2026.12.9", issued="2026-12-07",
        matters=tuple(dataclasses.replace(m, name="社会保障卡申领（含新生儿）") if m.code == "150929-SB-006" else m
                      for m in shipped.matters))
    with store.write() as session:
        import_catalog(session, newer, source="hub:2026.12.9")
    assert window.intake.resources is before  # nothing changes under a form in progress
    window.intake.clear()  # the next applicant
    after = window.intake.resources
    assert after is not None and after.catalog.version == "2026.12.9" and after.catalog_version != before.catalog_version
    assert "社会保障卡申领（含新生儿）" in [m.name for m in after.index.search("社会保障卡")]
    assert "事项目录已更新为 2026.12.9" in child(window, QLabel, "statusMessage").text()
