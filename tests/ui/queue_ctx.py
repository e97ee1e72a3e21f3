"""An AppContext over a small test hall, with tasks run inline."""

from __future__ import annotations

from app.clock import HallClock
from app.settings import load_settings
from app.store import Store
from tests.app.queue_hall import HALL, make_hall
from ui.context import AppContext
from ui.tasks import InlineRunner


def hall_context(store: Store, *, window: int | None = None, hall: bool = True,
                 clock: HallClock | None = None) -> AppContext:
    """``clock`` defaults to the settings' hall clock (the machine's time in the hall's zone)."""
    if hall:
        make_hall(store)
    settings = load_settings()
    settings.hall.code = HALL
    settings.queue.highlight_seconds = 1
    return AppContext(settings=settings, store=store, runner=InlineRunner(), window_number=window,
                      clock=clock)  # type: ignore[arg-type]  # None: built from the settings
