"""Drill-down: the cases behind a number, with the applicant's name masked (a supervisor's list, not a file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import aware
from app.masking import mask_name
from app.store.models import Case
from app.vocabulary import CASE_STATE_LABELS, DECISION_LABELS

CHUNK = 500  # bind parameters per IN (...) — SQLite's limit is far above, but keep statements small


@dataclass(frozen=True)
class CaseLine:
    case_no: str
    matter_name: str
    applicant: str  # masked: 张*
    decision: str  # Chinese label
    state: str  # Chinese label
    window_number: int | None
    accepted_at: dt.datetime | None  # aware UTC; shown in hall time by the screen


def case_lines(session: Session, case_nos: Sequence[str]) -> list[CaseLine]:
    """One line per number, in the order given; a rating of a ticket without a case shows as its ticket code."""
    found: dict[str, CaseLine] = {}
    wanted = [c for c in dict.fromkeys(case_nos) if not c.startswith(("号票 ", "帮办："))]
    for i in range(0, len(wanted), CHUNK):
        stmt = select(Case.case_no, Case.matter_name, Case.applicant_name, Case.decision, Case.state,
                      Case.window_number, Case.accepted_at).where(Case.case_no.in_(wanted[i:i + CHUNK]))
        for case_no, matter, name, decision, state, window, accepted_at in session.execute(stmt):
            found[case_no] = CaseLine(case_no=case_no, matter_name=matter, applicant=mask_name(name),
                                      decision=DECISION_LABELS.get(decision, decision),
                                      state=CASE_STATE_LABELS.get(state, state), window_number=window,
                                      accepted_at=aware(accepted_at))
    out = []
    for number in dict.fromkeys(case_nos):
        # A 帮办 record without a case (app.reports.daily._help) is listed by its matter.
        what = "（无办件的帮办记录）" if number.startswith("帮办：") else "（未受理办件的号票）"
        out.append(found.get(number) or CaseLine(case_no=number, matter_name=what, applicant="",
                                                 decision="", state="", window_number=None, accepted_at=None))
    return out
