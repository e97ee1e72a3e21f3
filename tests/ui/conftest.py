"""The GUI tests' store: a fresh copy of the seeded demo hall per test (``tests/ui/_counter_kit.demo_store``)."""

from __future__ import annotations

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
