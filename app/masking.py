"""What others in the hall may see of an applicant: masked ID numbers and names, the same on screen and paper."""

from __future__ import annotations


def mask_id(id_no: str) -> str:
    """Keep the first 6 and last 4 characters (the region and the check digits); a number of 10 characters or
    fewer keeps only its first 2, so a short number is never shown whole."""
    id_no = (id_no or "").strip()
    if len(id_no) <= 10:
        return id_no[:2] + "*" * max(len(id_no) - 2, 0)
    return id_no[:6] + "*" * (len(id_no) - 10) + id_no[-4:]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the hall may see a surname, never a full name."""
    name = (name or "").strip()
    return name[0] + "*" * max(1, len(name) - 1) if name else ""
