"""一件事一次办 at the counter: one intake of a catalog bundle, each matter its own case, all in one transaction.

The applicant's data and the shared materials are taken once; each matter gets its own case (its own 受理编号,
decision, deadlines and department) decided exactly as a single intake would decide it, and every case records
the intake's id (``case.bundle_id``) and the bundle in ``decision_detail["bundle"]``, which its ``case.accept``
payload carries to the hub. A scan of a shared material is stored once and recorded on each case that needs it.
The intake's request id makes the whole intake idempotent: a retry returns the same cases, never a second set.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.cases.request import AcceptRequest, ApplicantInput, MaterialInput, ProxyInput, check_request
from app.cases.service import (
    AcceptResult,
    _build_case,
    _decide,
    _default_calendar,
    _plan_files,
    _replay,
)
from app.cases.views import CaseSummary, summary_of
from app.catalog.bundles import bundle_matters
from app.catalog.model import Bundle, Catalog, Matter
from app.checklist import ChecklistPolicy, Decision, WorkCalendarLike
from app.clock import HallClock
from app.errors import CatalogError, NotFound, StoreError, ValidationError
from app.store import Store
from app.store.engine import fsync_file
from app.store.models import Case

# A case no longer waiting on anyone: 办结 (approved/refused), ready or handed over, or ended otherwise.
DONE_STATES = frozenset({"approved", "refused", "ready", "handed_over", "mailed", "terminated", "revoked",
                         "refused_at_counter"})


@dataclass(frozen=True)
class BundleRequest:
    """What the clerk submits for one 一件事 intake: who applies (once) and every material's state (once)."""

    request_id: str  # client-generated UUID: the intake's id; the same id returns the same cases
    hall_code: str
    window_number: int
    bundle_code: str
    applicant: ApplicantInput
    materials: tuple[MaterialInput, ...]  # every material of the chosen matters, shared ones once
    matter_codes: tuple[str, ...] = ()  # the bundle's matters the applicant asks for; () = all of them
    actor: str = ""
    clerk_id: int | None = None
    proxy: ProxyInput | None = None
    ticket_id: int | None = None  # the one queue ticket the intake was called on
    accepted_at: dt.datetime | None = None
    delivery: str = "pickup"
    mail_address: str = ""
    host: str = ""
    hall_level: str = "county"


@dataclass(frozen=True)
class BundleResult:
    bundle_id: str
    code: str
    name: str
    cases: tuple[AcceptResult, ...]  # in the bundle's order
    replayed: bool = False


@dataclass(frozen=True)
class BundleView:
    """A bundle intake as the lookup and the receipt show it: its cases and whether all are done."""

    bundle_id: str
    code: str
    name: str
    cases: tuple[CaseSummary, ...]

    @property
    def done(self) -> bool:
        """The bundle is done when every one of its cases is (办结, 出件 or otherwise ended)."""
        return all(c.state in DONE_STATES for c in self.cases)

    @property
    def done_count(self) -> int:
        return sum(c.state in DONE_STATES for c in self.cases)


def case_id_for(bundle_id: str, matter_code: str) -> str:
    """Each case's id follows from the intake's id and its matter, so a retried intake finds its own cases."""
    return str(uuid.uuid5(uuid.UUID(bundle_id), matter_code))


def chosen_matters(catalog: Catalog, bundle_code: str, matter_codes: Sequence[str] = ()) -> tuple[Bundle,
                                                                                               tuple[Matter, ...]]:
    """The bundle and the matters of it this intake takes in; ValidationError/NotFound naming what is wrong."""
    bundle = catalog.bundle(bundle_code)
    if bundle is None:
        raise NotFound(f"当前事项目录中没有一件事编码 {bundle_code}", field="bundle_code")
    matters = bundle_matters(bundle, {m.code: m for m in catalog.matters})
    if len(matters) != len(bundle.matters):  # the catalog's own check makes this impossible; a stored one could
        raise CatalogError(f"一件事“{bundle.name}”引用的事项不在当前目录中，请联系管理员重新导入目录",
                           field="bundle_code")
    if not matter_codes:
        return bundle, matters
    stray = [c for c in matter_codes if c not in bundle.matters]
    if stray:
        raise ValidationError(f"事项 {'、'.join(stray)} 不属于一件事“{bundle.name}”", field="matter_codes")
    if len(set(matter_codes)) != len(matter_codes):
        raise ValidationError("同一个事项在一件事中只能选一次", field="matter_codes")
    if len(matter_codes) < 2:
        raise ValidationError("一件事至少办理两个事项；只办一个事项请直接按单个事项受理", field="matter_codes")
    wanted = set(matter_codes)
    return bundle, tuple(m for m in matters if m.code in wanted)


def _case_request(request: BundleRequest, matter: Matter) -> AcceptRequest:
    keys = {m.key for m in matter.materials}
    return AcceptRequest(
        request_id=case_id_for(request.request_id, matter.code), hall_code=request.hall_code,
        window_number=request.window_number, matter_code=matter.code, applicant=request.applicant,
        materials=tuple(dataclasses.replace(m, files=()) for m in request.materials if m.key in keys),
        actor=request.actor, clerk_id=request.clerk_id, proxy=request.proxy, ticket_id=request.ticket_id,
        accepted_at=request.accepted_at, delivery=request.delivery,  # type: ignore[arg-type]
        mail_address=request.mail_address, host=request.host, hall_level=request.hall_level,
    )


def _existing_cases(session: Session, bundle_id: str) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.bundle_id == bundle_id)
                                .options(selectinload(Case.materials)).order_by(Case.case_no)).all())


def _replayed(session: Session, bundle_id: str) -> BundleResult | None:
    cases = _existing_cases(session, bundle_id)
    if not cases:
        return None
    info = (cases[0].decision_detail or {}).get("bundle", {})
    order = list(info.get("matters", ()))
    cases.sort(key=lambda c: order.index(c.matter_code) if c.matter_code in order else len(order))
    return BundleResult(bundle_id=bundle_id, code=str(info.get("code", "")), name=str(info.get("name", "")),
                        cases=tuple(_replay(c) for c in cases), replayed=True)


def _check(request: BundleRequest) -> None:
    try:
        uuid.UUID(request.request_id)
    except (ValueError, AttributeError, TypeError):
        raise ValidationError(f"请求编号应为 UUID，得到 {request.request_id!r}", field="request_id") from None
    # The checks a single intake makes (lengths, states, files, delivery) on the intake as a whole.
    check_request(AcceptRequest(
        request_id=request.request_id, hall_code=request.hall_code, window_number=request.window_number,
        matter_code=request.bundle_code, applicant=request.applicant, materials=request.materials,
        actor=request.actor, proxy=request.proxy, accepted_at=request.accepted_at,
        delivery=request.delivery, mail_address=request.mail_address, host=request.host,  # type: ignore[arg-type]
    ))


def accept_bundle(
    store: Store,
    request: BundleRequest,
    *,
    files_dir: Path,
    clock: HallClock,
    calendar: WorkCalendarLike | None = None,
    policy: ChecklistPolicy | None = None,
) -> BundleResult:
    """Take in one 一件事: every chosen matter decided as :func:`app.cases.service.accept` decides it, then all
    the cases written in one transaction (all or none), sharing the intake's id, ticket and applicant."""
    from app.catalog.store import current_catalog, ensure_catalog

    _check(request)
    at = (request.accepted_at or clock.now()).astimezone(dt.UTC)
    day = clock.day_of(at)
    calendar = calendar or _default_calendar()
    with store.read() as session:
        done = _replayed(session, request.request_id)
        if done is not None:
            return done
        found = current_catalog(session)
    if found is None:
        found = ensure_catalog(store)
    bundle, matters = chosen_matters(found[1], request.bundle_code, request.matter_codes)
    wanted = {m.key for matter in matters for m in matter.materials}
    extra = sorted({m.key for m in request.materials} - wanted)
    if extra:
        raise ValidationError(f"材料 {'、'.join(extra)} 不属于所选事项", field=extra[0])
    decided: list[tuple[AcceptRequest, int, Matter, Decision, tuple[str, str, str | None]]] = []
    with store.read() as session:
        for matter in matters:
            case_request = _case_request(request, matter)
            version_id, current, decision, identity = _decide(session, case_request, day=day, calendar=calendar,
                                                              policy=policy)
            decided.append((case_request, version_id, current, decision, identity))
    info = {"id": request.request_id, "code": bundle.code, "name": bundle.name,
            "matters": [m.code for m in matters]}
    # Each scan is stored once; every case whose matter asks for that material records it (own attachment id).
    probe = AcceptRequest(request_id=request.request_id, hall_code="", window_number=0, matter_code="",
                          applicant=request.applicant, materials=request.materials)
    planned = _plan_files(probe, at)
    written: list[Path] = []
    try:
        for f in planned:
            fsync_file(files_dir / f.relpath, f.data)
            written.append(files_dir / f.relpath)
        try:
            with store.write() as session:
                again = _replayed(session, request.request_id)
                if again is not None:
                    raise _Again(again)
                results = []
                for case_request, version_id, matter, decision, (id_no, id_kind, proxy_no) in decided:
                    keys = {m.key for m in matter.materials}
                    own = [dataclasses.replace(f, attachment_id=str(uuid.uuid4())) for f in planned
                           if f.material_key in keys]
                    case = _build_case(session, case_request, matter=matter, version_id=version_id,
                                       decision=decision, at=at, day=day, id_no=id_no, id_kind=id_kind,
                                       proxy_no=proxy_no, planned=own, calendar=calendar, bundle=info)
                    results.append(AcceptResult(summary=summary_of(case), decision=decision))
        except IntegrityError as exc:
            with store.read() as session:
                again = _replayed(session, request.request_id)
            if again is not None:
                raise _Again(again) from None
            raise StoreError(f"一件事办件保存失败：{exc.orig}") from exc
    except _Again as replay:
        for path in written:
            path.unlink(missing_ok=True)
        return replay.result
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return BundleResult(bundle_id=request.request_id, code=bundle.code, name=bundle.name, cases=tuple(results))


class _Again(Exception):
    def __init__(self, result: BundleResult) -> None:
        super().__init__("already accepted")
        self.result = result


def bundle_view(session: Session, bundle_id: str) -> BundleView | None:
    """The intake's cases in the bundle's order, or None when no case carries that id."""
    cases = _existing_cases(session, bundle_id)
    if not cases:
        return None
    info = (cases[0].decision_detail or {}).get("bundle", {})
    order = list(info.get("matters", ()))
    cases.sort(key=lambda c: order.index(c.matter_code) if c.matter_code in order else len(order))
    return BundleView(bundle_id=bundle_id, code=str(info.get("code", "")), name=str(info.get("name", "")),
                      cases=tuple(summary_of(c) for c in cases))


def bundle_of_case(session: Session, case_no: str) -> BundleView | None:
    """The bundle intake a case (by 受理编号) belongs to, or None when it was taken in on its own."""
    bundle_id = session.scalars(select(Case.bundle_id).where(Case.case_no == case_no)).first()
    return bundle_view(session, bundle_id) if bundle_id else None


__all__ = ["DONE_STATES", "BundleRequest", "BundleResult", "BundleView", "accept_bundle",
           "bundle_of_case", "bundle_view", "case_id_for", "chosen_matters"]
