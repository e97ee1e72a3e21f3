"""A guard against PySide6 6.12's reference bugs. It loads no Qt, so the test suite's conftest applies it without
pulling Qt into the core's tests; ``ui.application.make_qapp`` applies it for every screen."""

from __future__ import annotations

import sys


def pin_refcounts() -> None:
    """Work around two PySide6 6.12 reference bugs on CPython < 3.12, where ``True``, ``False`` and ``None`` are
    not immortal: ``SignalInstance.emit()`` returns ``True`` without taking a reference, and every method that
    returns nothing in C++ (``QLabel.setText``, ``QWidget.update``, ``QTimer.start``, ``processEvents`` …) returns
    ``None`` without taking one. Each call takes one reference away, so a hall display refreshing its labels once a
    second dies within hours ("Fatal Python error: none_dealloc" / "bool_dealloc"). Giving the three singletons a
    very large reference count makes them effectively immortal, as they are on 3.12+.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for obj in (True, False, None):
        if sys.getrefcount(obj) < 1 << 39:  # once per process
            ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
