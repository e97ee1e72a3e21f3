"""What every screen is handed: the settings, the opened store, the task runner and who sits at which window.

Passed into each screen's constructor (``create(ctx, args)``) instead of a global, so tests can build one by hand.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.clock import HallClock
from app.settings import Settings
from app.store import Store
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.auth import ClerkView


@dataclass
class AppContext:
    """The running client's shared state.

    Attributes:
        settings: the loaded settings (``settings.hall.code`` is the hall this PC serves).
        store: the opened, migrated store. Only touch it inside ``runner.submit`` callables.
        runner: runs store/IO work off the GUI thread and calls back on it.
        clerk: the clerk logged in at this PC, or None before login / on kiosk and display PCs.
        window_number: the window the clerk chose at login (or ``--window``), None if not at a window.
        host: this PC's name, written into audit rows.
        clock: the hall clock every screen reads now and today from (built from the settings when omitted).
    """

    settings: Settings
    store: Store
    runner: TaskRunner
    clerk: ClerkView | None = None
    window_number: int | None = None
    host: str = field(default_factory=socket.gethostname)
    clock: HallClock = None  # type: ignore[assignment]  # filled from the settings in __post_init__

    def __post_init__(self) -> None:
        if self.clock is None:
            self.clock = self.settings.hall_clock()

    @property
    def hall_code(self) -> str:
        return self.settings.hall.code

    @property
    def actor(self) -> str:
        """The name written into case events and audit rows for actions taken at this PC."""
        if self.clerk is None:
            return f"host:{self.host}"
        return self.clerk.username
