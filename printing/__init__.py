"""Printed documents (receipts, notices, pledges, slips) as PDF bytes, queue tickets, and printer back-ends.

No Qt here: sending a PDF to a desktop printer through Qt lives in ``ui.print_dialog``.
"""

from __future__ import annotations

DOCUMENTS: dict[str, str] = {
    "receipt": "受理通知书（受理回执）",
    "deferral-notice": "容缺受理通知书",
    "deferral-pledge": "容缺受理承诺书",
    "pledge": "告知承诺书",
    "one-time-notice": "一次性告知书",
    "refusal": "不予受理决定书",
    "supplement-notice": "补正材料通知书",
    "pickup": "办件出件单",
    "mailing": "政务专递寄递单",
}
"""Document name (as used by ``render`` and the command line) → its printed title."""

__all__ = ["DOCUMENTS"]
