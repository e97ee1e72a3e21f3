"""收件后审查 at the counter, through the real widgets: take the papers in for review (nothing printed yet), review
them from the lookup within five working days (the one-time notice printed), and the counter's start-of-day sweep
accepting, as of receipt, a review left without notice (行政许可法 §32)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.store import Store
from app.store.models import Case, CaseEvent
from app.workdays import default_calendar
from tests.hall_clock import on
from tests.ui._counter_kit import demo_ctx
from tests.ui.test_counter_flow import child, choose_matter, fill_applicant, lookup_case, open_counter

RECEIVED = dt.date(2026, 11, 23)  # a Monday inside the shipped calendar
DUE = default_calendar().add_workdays(RECEIVED, 5)


def take_in_for_review(qtbot: QtBot, window) -> Case:  # type: ignore[no-untyped-def]
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    button = child(window, QPushButton, "reviewButton")
    assert button.isEnabled()
    with qtbot.waitSignal(window.intake.case_accepted, timeout=5000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    result = done.args[0]
    assert result.decision.outcome == "supplement" and result.decision.correction_due == DUE
    with window.ctx.store.read() as session:
        return session.scalars(select(Case).where(Case.case_no == result.summary.case_no)).one()


def test_review_intake_prints_nothing_and_the_lookup_gives_the_notice(qtbot: QtBot, tmp_path: Path,
                                                                      store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, auto_print=True, clock=on(RECEIVED))
    window = open_counter(qtbot, ctx)
    printed: list[object] = []
    window.documents_ready.connect(printed.append)
    case = take_in_for_review(qtbot, window)
    assert case.state == "awaiting_correction" and case.decision_detail["review"] is True
    assert f"已收件待审查（请于 {DUE:%Y-%m-%d} 前告知是否补正）" in window.status_label.text()
    assert printed == [] and window.print_dialog is None  # no 受理 paper, no empty notice

    lookup_case(qtbot, window, case.case_no)
    actions = window.lookup.case_actions
    assert actions.correction_box.isVisible() and actions.correction_box.title().startswith("收件后审查")
    combos = {k: c for k, c in actions.correction_combos.items()}
    assert set(combos) >= {"id_card", "contract"}  # every material received is reviewed, not a notice's list
    assert combos["contract"].currentData() == "original"
    contract = window.findChild(QComboBox, "correction_contract")
    contract.setCurrentIndex(contract.findData("defective"))
    with qtbot.waitSignal(window.documents_ready, timeout=20000) as docs:
        with qtbot.waitSignal(window.lookup.case_corrected, timeout=5000) as corrected:
            qtbot.mouseClick(child(window, QPushButton, "correctionButton"), Qt.MouseButton.LeftButton)
    decision = corrected.args[0].decision
    assert decision.outcome == "supplement" and [n.key for n in decision.notice] == ["contract"]
    assert [d.doc for d in docs.args[0]] == ["supplement-notice"]  # the one-time notice, within the five days
    window.print_dialog.close()
    # Now an ordinary 补正告知 case: the next step is the applicant's 补正.
    assert "complete_correction" in window.lookup.case.next_actions


def test_the_counter_accepts_at_start_a_review_left_without_notice(qtbot: QtBot, tmp_path: Path,
                                                                   store: Store) -> None:
    window = open_counter(qtbot, demo_ctx(tmp_path, store, clock=on(RECEIVED)))
    case = take_in_for_review(qtbot, window)
    window.close()
    after = default_calendar().add_workdays(DUE, 1)
    later = open_counter(qtbot, demo_ctx(tmp_path, store, clock=on(after)))
    assert "1 件收件审查逾期未告知补正，已依法视为受理" in later.status_label.text()
    with store.read() as session:
        row = session.scalars(select(Case).where(Case.case_no == case.case_no)).one()
        event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == row.id,
                                                        CaseEvent.kind == "deemed_accept")).one()
    assert row.state == "accepted" and row.service_date == RECEIVED and event.detail["day"] == after.isoformat()
    lookup_case(qtbot, later, case.case_no)
    assert "逾期未告知补正，视为受理" in "".join(later.lookup.history.item(i).text()
                                        for i in range(later.lookup.history.count()))
    later.sweep_day()  # the same day again: nothing more to do, nothing written twice
    with store.read() as session:
        assert len(session.scalars(select(CaseEvent).where(CaseEvent.kind == "deemed_accept")).all()) == 1
