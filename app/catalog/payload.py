"""A matter (and a whole catalog) as plain JSON: what the store keeps per version and what a case snapshots.

The payload is the matter with every field spelled out, so a snapshot taken today still reads the same after
the dataclass grows a new optional field (missing keys fall back to the dataclass defaults).
"""

from __future__ import annotations

from typing import Any, cast

from app.canonical import canonical_sha256
from app.catalog.model import (
    Bundle,
    Catalog,
    Delivery,
    Department,
    Material,
    MaterialForm,
    Matter,
    PledgeTerms,
    RefusalGround,
    Scope,
    TimeLimit,
    TimeUnit,
)
from app.errors import CatalogError

PAYLOAD_SCHEMA = 1


def _limit(limit: TimeLimit) -> dict[str, Any]:
    return {"amount": limit.amount, "unit": limit.unit}


def _pledge(p: PledgeTerms | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"basis": p.basis, "content": p.content, "text": p.text, "verification": p.verification,
            "personal": p.personal, "effect": p.effect, "liability": p.liability,
            "check_method": p.check_method, "check_days": p.check_days}


def _material(m: Material) -> dict[str, Any]:
    out = {
        "key": m.key, "name": m.name, "core": m.core, "copies": m.copies, "form": m.form,
        "required": m.required, "condition": m.condition, "deferrable": m.deferrable,
        "supply_days": m.supply_days, "pledgeable": m.pledgeable, "pledge": _pledge(m.pledge),
        "e_license": m.e_license, "note": m.note,
    }
    if m.channel:  # only when set: a catalog without it keeps the fingerprint it had before the field existed
        out["channel"] = m.channel
    return out


def _listed(m: Matter) -> dict[str, Any]:
    """The 实施清单 fields (basic code, office, visits, audience), only those set, for the same reason."""
    out: dict[str, Any] = {}
    if m.basic_code:
        out["basic_code"] = m.basic_code
    if m.office:
        out["office"] = m.office
    if m.visits is not None:
        out["visits"] = m.visits
    if m.audience:
        out["audience"] = list(m.audience)
    if m.levels:
        out["levels"] = dict(m.levels)
    return out


def matter_to_payload(m: Matter) -> dict[str, Any]:
    """The matter as a JSON-safe dict (stable keys; ``matter_from_payload`` reverses it exactly)."""
    return {
        "schema": PAYLOAD_SCHEMA,
        "code": m.code, "name": m.name, "name_mn": m.name_mn, "department": m.department, "department_code": m.department_code,
        "kind": m.kind, "promised": _limit(m.promised), "legal": _limit(m.legal),
        "materials": [_material(x) for x in m.materials], "queue_category": m.queue_category, "fee": m.fee,
        "result_type": m.result_type, "result_name": m.result_name, "delivery": list(m.delivery),
        "scope": m.scope, "conditions": m.conditions, "consult_phone": m.consult_phone,
        "supervise_phone": m.supervise_phone, "keywords": list(m.keywords), "basis": m.basis,
        "instant": m.instant, "in_person": m.in_person,
        "hand_over_before_supply": m.hand_over_before_supply,
        "refusal_grounds": [{"code": g.code, "text": g.text, "basis": g.basis, "names_authority": g.names_authority}
                            for g in m.refusal_grounds],
        **_listed(m),
    }


def _limit_from(d: dict[str, Any]) -> TimeLimit:
    return TimeLimit(int(d["amount"]), cast(TimeUnit, d.get("unit", "workday")))


def limit_from_payload(raw: Any) -> TimeLimit | None:
    """A time limit as a case's matter snapshot holds it, or None when the snapshot has none."""
    return _limit_from(raw) if isinstance(raw, dict) and "amount" in raw else None


def _material_from(d: dict[str, Any]) -> Material:
    p = d.get("pledge")
    pledge = None
    if p:
        extra = {k: p[k] for k in ("effect", "liability", "check_method", "check_days") if k in p}
        pledge = PledgeTerms(basis=p["basis"], content=p["content"], text=p["text"],
                             verification=p["verification"], personal=bool(p.get("personal", False)), **extra)
    return Material(
        key=d["key"], name=d["name"], core=bool(d.get("core", False)), copies=int(d.get("copies", 1)),
        form=cast(MaterialForm, d.get("form", "original")), required=bool(d.get("required", True)),
        condition=d.get("condition", "always"), deferrable=bool(d.get("deferrable", False)),
        supply_days=d.get("supply_days"), pledgeable=bool(d.get("pledgeable", False)), pledge=pledge,
        e_license=d.get("e_license"), note=d.get("note", ""), channel=d.get("channel", ""),
    )


def matter_from_payload(d: dict[str, Any]) -> Matter:
    """Rebuild a :class:`Matter` from :func:`matter_to_payload`'s dict; CatalogError when it is not one."""
    try:
        return Matter(
            code=d["code"], name=d["name"], name_mn=d.get("name_mn", ""), department=d["department"], department_code=d["department_code"],
            kind=d["kind"], promised=_limit_from(d["promised"]), legal=_limit_from(d["legal"]),
            materials=tuple(_material_from(x) for x in d["materials"]), queue_category=d["queue_category"],
            fee=d.get("fee", "不收费"), result_type=d.get("result_type", "证照"),
            result_name=d.get("result_name", ""), delivery=cast(tuple[Delivery, ...], tuple(d.get("delivery", ("pickup",)))),
            scope=cast(Scope, d.get("scope", "local")), conditions=d.get("conditions", ""),
            consult_phone=d.get("consult_phone", ""), supervise_phone=d.get("supervise_phone", ""),
            keywords=tuple(d.get("keywords", ())), basis=d.get("basis", ""), instant=bool(d.get("instant", False)),
            hand_over_before_supply=bool(d.get("hand_over_before_supply", False)),
            in_person=bool(d.get("in_person", False)),
            refusal_grounds=tuple(RefusalGround(code=g["code"], text=g["text"], basis=g["basis"],
                                                names_authority=bool(g.get("names_authority", False)))
                                  for g in d.get("refusal_grounds", ()) or ()),
            basic_code=d.get("basic_code", ""), office=d.get("office", ""),
            visits=None if d.get("visits") is None else int(d["visits"]),
            audience=tuple(d.get("audience", ()) or ()),
            levels=tuple((k, v) for k, v in (d.get("levels") or {}).items()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        code = d.get("code", "?") if isinstance(d, dict) else "?"
        raise CatalogError(f"事项 {code} 的存储数据不完整或已损坏：{exc!r}") from None


def bundle_to_payload(b: Bundle) -> dict[str, Any]:
    return {"code": b.code, "name": b.name, "name_mn": b.name_mn, "matters": list(b.matters),
            "category": b.category, "keywords": list(b.keywords), "note": b.note}


def bundle_from_payload(d: dict[str, Any]) -> Bundle:
    return Bundle(code=d["code"], name=d["name"], matters=tuple(d["matters"]), category=d.get("category", ""),
                  name_mn=d.get("name_mn", ""), keywords=tuple(d.get("keywords", ())), note=d.get("note", ""))


def catalog_meta(catalog: Catalog) -> dict[str, Any]:
    """The catalog-level part that matters do not carry (stored with the version)."""
    out: dict[str, Any] = {
        "categories": dict(catalog.categories),
        "categories_mn": dict(catalog.categories_mn),
        "departments": [{"code": d.code, "name": d.name, "phone": d.phone, "name_mn": d.name_mn}
                        for d in catalog.departments],
    }
    if catalog.bundles:  # only when there are some: a catalog without keeps the fingerprint it had before
        out["bundles"] = [bundle_to_payload(b) for b in catalog.bundles]
    return out


def meta_parts(meta: dict[str, Any]) -> dict[str, Any]:
    """:func:`catalog_meta`'s dict back as :class:`Catalog` keyword arguments (older versions lack the ``_mn``
    keys)."""
    return {
        "departments": tuple(Department(x["code"], x["name"], x.get("phone", ""), x.get("name_mn", ""))
                             for x in meta.get("departments", ())),
        "categories": dict(meta.get("categories", {})),
        "categories_mn": dict(meta.get("categories_mn", {})),
        "bundles": tuple(bundle_from_payload(b) for b in meta.get("bundles", ())),
    }


def catalog_to_payload(catalog: Catalog) -> dict[str, Any]:
    return {"version": catalog.version, "issued": catalog.issued, "source": catalog.source,
            **catalog_meta(catalog), "matters": [matter_to_payload(m) for m in catalog.matters]}


def catalog_from_payload(d: dict[str, Any]) -> Catalog:
    return Catalog(
        version=d["version"], issued=d["issued"], source=d.get("source", ""),
        matters=tuple(matter_from_payload(m) for m in d.get("matters", ())), **meta_parts(d),
    )


def catalog_sha256(catalog: Catalog) -> str:
    """Fingerprint of the catalog's content: equal catalogs hash equal whatever file layout they came from."""
    return canonical_sha256(catalog_to_payload(catalog))
