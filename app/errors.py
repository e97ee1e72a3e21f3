"""The one root error for expected failures: each carries a message a clerk can act on."""

from __future__ import annotations


class CounterError(Exception):
    """An expected failure with a clerk-facing message.

    Args:
        message: one line, Chinese first, naming what is wrong and what to do.
        field: the input field (objectName or CLI/CSV field) that caused it, if any.
    """

    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(CounterError):
    """Bad input at an edge: typed text, scanner bytes, frames, files, HTTP bodies."""


class StoreError(CounterError):
    """The store cannot be opened, is locked, full or otherwise unusable."""


class CatalogError(ValidationError):
    """A catalog file is malformed; the message names the file, the matter code and the field."""


class CalendarError(CounterError):
    """A date lies outside the years the workday calendar knows."""


class SettingsError(CounterError):
    """The settings file or an environment override is malformed."""


class StateError(CounterError):
    """A transition that the current state does not allow (case or ticket)."""


class NotFound(CounterError):
    """A case, ticket, matter, window or clerk that does not exist."""


class QueueEmpty(CounterError):
    """Nothing is waiting for this window."""

    exit_code = 3


class SyncError(CounterError):
    """The hub could not be reached or refused an item."""


class PrintError(CounterError):
    """A document could not be rendered or the printer failed."""


class DeviceError(CounterError):
    """A reader, scanner or camera failed or sent something unreadable."""
