"""Shared set-up for the case tests: a hall row, the shipped catalog, valid ID numbers and requests."""

from __future__ import annotations

import datetime as dt
import uuid

from app.cases.service import AcceptRequest, ApplicantInput, MaterialInput, ProxyInput
from app.catalog.store import ensure_catalog
from app.identity import credit_check_char, id_check_digit
from app.store import Store
from app.store.models import Hall
from tests.hall_clock import CLOCK

HALL = "150929"
HALL_ZONE = CLOCK.zone  # the hall's wall clock, as the services read it
# Monday 2026-11-23, 10:00 in the hall: inside the shipped calendar.
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=HALL_ZONE)

PENSION = "150929-SB-002"  # photo deferrable (3 workdays), no_other_pension personal pledge, ss_card core
JOBLESS = "150929-JY-003"  # cross_province; bank_card deferrable
LOAN = "150929-JY-004"  # local only


def person_id(seq: int = 123, birth: str = "19800101", region: str = "150929") -> str:
    body = f"{region}{birth}{seq:03d}"
    return body + id_check_digit(body)


def credit_code(body: str = "91150929MA0N00001") -> str:
    return body + credit_check_char(body)


def prepare(store: Store) -> None:
    with store.write() as session:
        if session.get(Hall, HALL) is None:
            session.add(Hall(code=HALL, name="四子王旗政务服务中心"))
    ensure_catalog(store)


def pension_request(
    *,
    photo: str = "original",
    pledge: str = "original",
    ss_card: str = "original",
    window: int = 3,
    at: dt.datetime = MONDAY,
    id_no: str | None = None,
    proxy: ProxyInput | None = None,
    request_id: str | None = None,
    files: tuple = (),
    extra: tuple[MaterialInput, ...] = (),
) -> AcceptRequest:
    return AcceptRequest(
        request_id=request_id or str(uuid.uuid4()),
        hall_code=HALL,
        window_number=window,
        matter_code=PENSION,
        applicant=ApplicantInput(name="其其格", id_no=id_no or person_id(), phone="13800000000",
                                 address="四子王旗乌兰花镇"),
        materials=(
            MaterialInput("id_card", "original"),
            MaterialInput("household", "copy"),
            MaterialInput("ss_card", ss_card),  # type: ignore[arg-type]
            MaterialInput("no_other_pension", pledge),  # type: ignore[arg-type]
            MaterialInput("photo", photo, files),  # type: ignore[arg-type]
            *extra,
        ),
        actor="clerk01",
        proxy=proxy,
        accepted_at=at,
    )
