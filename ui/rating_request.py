"""The clerk's side of 一次一评: ask this window's rating screen (``ui/rating.py``) to rate a case.

Apart from the rating screen so that the counter does not load it: the screen brings the hall's voice
(QtMultimedia, QtTextToSpeech and numpy), tens of megabytes the clerk's window never uses (issue 21's memory
goal, ``benchmarks/bench_memory.py --trace``).
"""

from __future__ import annotations

from collections.abc import Callable

from app import ratings
from app.errors import CounterError
from ui.context import AppContext


def ask_for_rating(ctx: AppContext, *, case_no: str | None = None, ticket_id: int | None = None,
                   on_done: Callable[[ratings.RatingRequestView], None] | None = None,
                   on_error: Callable[[BaseException], None] | None = None) -> None:
    """Ask this window's rating screen to rate a case (or a served ticket)."""
    if ctx.window_number is None:
        raise CounterError("本机未设置窗口号，不能请求评价")
    store, hall, window, actor, clock = ctx.store, ctx.hall_code, ctx.window_number, ctx.actor, ctx.clock
    ctx.runner.submit(lambda: ratings.request_rating(store, hall_code=hall, window_number=window, case_no=case_no,
                                                     ticket_id=ticket_id, requested_by=actor, clock=clock),
                      on_done, on_error)
