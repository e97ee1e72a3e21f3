"""一次一评 from the counter: accepting a case, or finishing a ticket that led to no case, asks this window's
rating screen for a rating; the clerk's screen never sees a value."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import queue as q
from app.store import Store
from app.store.models import RatingRequest
from tests.ui._counter_kit import demo_ctx
from tests.ui.test_counter_flow import accept_by_click, choose_matter, fill_applicant, open_counter
from ui.context import AppContext


@pytest.fixture
def ctx(tmp_path: Path, store: Store) -> AppContext:
    return demo_ctx(tmp_path, store)


def requests(store: Store) -> list[tuple[str, int, str | None, int | None]]:
    with store.read() as s:
        rows = s.scalars(select(RatingRequest).order_by(RatingRequest.id)).all()
        return [(r.state, r.window_number, r.case_id, r.ticket_id) for r in rows]


def test_accepting_a_case_asks_for_its_rating(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    qtbot.mouseClick(window.findChild(QPushButton, "allReceivedButton"), Qt.MouseButton.LeftButton)
    case = accept_by_click(qtbot, window)
    assert requests(ctx.store) == [("pending", 1, case.id, None)]


def test_finishing_a_ticket_without_a_case_asks_for_the_ticket_rating(qtbot: QtBot, ctx: AppContext) -> None:
    hall = ctx.hall_code
    ticket = q.issue_ticket(ctx.store, hall_code=hall, category="A", clock=ctx.clock)
    q.confirm_printed(ctx.store, ticket.id, clock=ctx.clock)
    window = open_counter(qtbot, ctx)
    controller = window.queue_controller
    assert controller is not None
    controller.call_next()
    controller.start()
    with qtbot.waitSignal(controller.ticket_finished, timeout=3000):
        controller.finish()
    assert requests(ctx.store) == [("pending", 1, None, ticket.id)]
