"""The GUI tests' store: a fresh copy of the seeded demo hall per test (``tests/ui/_counter_kit.demo_store``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store import Store
from tests.ui._counter_kit import demo_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = demo_store(tmp_path)
    yield s
    s.dispose()


@pytest.fixture
def machine_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The PC's own zone set to UTC (eight hours behind the hall), so a screen that read it would show the wrong day."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
