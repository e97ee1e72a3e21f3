"""Stable object names: tests and automation find every interactive widget by its ``objectName``."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """Give a widget its stable objectName and hand it back (PySide6's ``objectName=`` keyword is untyped)."""
    widget.setObjectName(name)
    return widget
