"""The keyboard path: one helper that chains widgets into the Tab order in the order they are read."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtWidgets import QWidget


def chain_tab_order(widgets: Sequence[QWidget]) -> None:
    """Tab goes from each widget to the next one given (hidden or disabled ones are skipped by Qt itself)."""
    for before, after in itertools.pairwise(widgets):
        QWidget.setTabOrder(before, after)
