"""排队叫号: tickets, atomic calling across windows, the hall board and queue statistics."""

from app.queue.board import BoardCall, BoardView, CategoryCount, WindowBoard, hall_board
from app.queue.calling import (
    WindowState,
    call_next,
    call_ticket,
    finish,
    other_windows,
    pause_window,
    recall,
    resume_window,
    skip,
    start_service,
    transfer,
    waiting_for_window,
    window_state,
)
from app.queue.common import PRIORITY_KINDS, STATE_LABELS, TicketView, hall_categories, mask_name
from app.queue.stats import CategoryStats, TicketTimes, category_stats, ticket_times
from app.queue.tickets import (
    ahead_of,
    check_in,
    confirm_printed,
    find_ticket,
    issue_ticket,
    list_tickets,
    void_ticket,
)

__all__ = [
    "PRIORITY_KINDS", "STATE_LABELS", "BoardCall", "BoardView", "CategoryCount", "CategoryStats", "TicketTimes",
    "TicketView", "WindowBoard", "WindowState", "ahead_of", "call_next", "call_ticket", "category_stats", "check_in",
    "confirm_printed", "find_ticket", "finish", "hall_board", "hall_categories", "issue_ticket", "list_tickets",
    "mask_name", "other_windows", "pause_window", "recall", "resume_window", "skip",
    "start_service", "ticket_times", "transfer", "void_ticket", "waiting_for_window", "window_state",
]
