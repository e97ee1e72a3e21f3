"""Writing a catalog back as the TOML files of ``docs/catalog.md``: ``catalog.toml`` plus one file per department.

An imported spreadsheet becomes files the hub can publish (``python -m sync.server publish catalog DIR/*.toml``)
and every counter reads with :func:`app.catalog.loader.load_catalog`; reading the files back gives the same
catalog (same :func:`app.catalog.payload.catalog_sha256`), which the tests check.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.catalog.loader import CATALOG_FILE
from app.catalog.model import DEFAULT_CHECK_DAYS, Bundle, Catalog, Material, Matter, PledgeTerms, TimeLimit
from app.store.engine import fsync_file

_PLEDGE_DEFAULTS = PledgeTerms(basis="", content="", text="", verification="")


_UNIT_WORDS = {"workday": "工作日", "day": "自然日", "hour": "小时"}  # as app.catalog.fields.UNITS reads them


def _limit(limit: TimeLimit) -> str:
    return "即办" if limit.amount == 0 else f"{limit.amount} {_UNIT_WORDS[limit.unit]}"


def _pledge(p: PledgeTerms) -> dict[str, Any]:
    out: dict[str, Any] = {"basis": p.basis, "content": p.content, "text": p.text, "verification": p.verification,
                           "check_method": p.check_method}
    if p.personal:
        out["personal"] = True
    if p.effect != _PLEDGE_DEFAULTS.effect:
        out["effect"] = p.effect
    if p.liability != _PLEDGE_DEFAULTS.liability:
        out["liability"] = p.liability
    if p.check_days != DEFAULT_CHECK_DAYS:
        out["check_days"] = p.check_days
    return out


def _material(m: Material) -> dict[str, Any]:
    out: dict[str, Any] = {"key": m.key, "name": m.name}
    defaults = {"core": False, "copies": 1, "form": "original", "required": True, "condition": "always",
                "deferrable": False, "note": "", "channel": ""}
    for key, default in defaults.items():
        value = getattr(m, key)
        if value != default:
            out[key] = value
    if m.supply_days is not None:
        out["supply_days"] = m.supply_days
    if m.pledge is not None:
        out["pledge"] = _pledge(m.pledge)
    elif m.pledgeable:  # cannot happen for a valid catalog; kept so the file states what the catalog says
        out["pledgeable"] = True
    if m.e_license:
        out["e_license"] = m.e_license
    return out


def _matter(m: Matter, catalog_phone: str, dept_phone: str) -> dict[str, Any]:
    out: dict[str, Any] = {"code": m.code, "name": m.name}
    if m.name_mn:
        out["name_mn"] = m.name_mn
    out.update(kind=m.kind, category=m.queue_category, promised=_limit(m.promised), legal=_limit(m.legal))
    if m.instant != (m.promised.amount == 0):
        out["instant"] = m.instant
    texts = {"fee": "不收费", "result_type": "证照", "result_name": "", "conditions": "", "basis": "",
             "basic_code": "", "office": ""}
    for key, default in texts.items():
        if getattr(m, key) != default:
            out[key] = getattr(m, key)
    if m.consult_phone != dept_phone:
        out["consult_phone"] = m.consult_phone
    if m.supervise_phone != catalog_phone:
        out["supervise_phone"] = m.supervise_phone
    if m.delivery != ("pickup",):
        out["delivery"] = list(m.delivery)
    if m.scope != "local":
        out["scope"] = m.scope
    if m.keywords:
        out["keywords"] = list(m.keywords)
    if m.in_person:
        out["in_person"] = True
    if m.hand_over_before_supply:
        out["hand_over_before_supply"] = True
    if m.visits is not None:
        out["visits"] = m.visits
    if m.audience:
        out["audience"] = list(m.audience)
    if m.levels:
        out["levels"] = dict(m.levels)
    if m.refusal_grounds:
        out["refusal_grounds"] = [
            {"code": g.code, "text": g.text, "basis": g.basis, **({"names_authority": True} if g.names_authority
                                                                   else {})}
            for g in m.refusal_grounds]
    out["materials"] = [_material(x) for x in m.materials]
    return out


def _bundle(b: Bundle) -> dict[str, Any]:
    out: dict[str, Any] = {"code": b.code, "name": b.name}
    if b.name_mn:
        out["name_mn"] = b.name_mn
    if b.category:
        out["category"] = b.category
    out["matters"] = list(b.matters)
    if b.keywords:
        out["keywords"] = list(b.keywords)
    if b.note:
        out["note"] = b.note
    return out


def department_file_name(code: str) -> str:
    """``SB`` → ``sb.toml``: a name the hub's publication accepts (no path separators, no leading dot); the
    files are written as ``01_sb.toml`` … in the order the catalog's matters name their departments."""
    stem = re.sub(r"[^a-z0-9_-]", "_", code.lower()).strip("_.") or "dept"
    return f"{stem}.toml"


def catalog_files(catalog: Catalog, *, supervise_phone: str = "") -> dict[str, str]:
    """File name → TOML text. ``supervise_phone`` is the catalog-wide default written into ``catalog.toml``
    (matters whose phone differs carry their own)."""
    import tomli_w

    head: dict[str, Any] = {"version": catalog.version, "issued": catalog.issued, "source": catalog.source}
    if supervise_phone:
        head["supervise_phone"] = supervise_phone
    head["categories"] = dict(catalog.categories)
    if catalog.categories_mn:
        head["categories_mn"] = dict(catalog.categories_mn)
    head["departments"] = [
        {"code": d.code, "name": d.name, **({"phone": d.phone} if d.phone else {}),
         **({"name_mn": d.name_mn} if d.name_mn else {})}
        for d in catalog.departments]
    if catalog.bundles:
        head["bundles"] = [_bundle(b) for b in catalog.bundles]
    files = {CATALOG_FILE: tomli_w.dumps(head)}
    # The loader reads department files in name order; numbering them by each department's first matter keeps
    # the catalog's matter order (and so its fingerprint) when its matters come grouped by department.
    order = list(dict.fromkeys(m.department_code for m in catalog.matters))
    phones = {d.code: d.phone for d in catalog.departments}
    for n, code in enumerate(order, 1):
        matters = [m for m in catalog.matters if m.department_code == code]
        name = f"{n:02d}_{department_file_name(code)}"
        body = {"department": code,
                "matters": [_matter(m, supervise_phone, phones.get(code, "")) for m in matters]}
        files[name] = tomli_w.dumps(body)
    return files


def write_catalog_dir(catalog: Catalog, folder: Path, *, supervise_phone: str = "") -> list[Path]:
    """Write the files durably into ``folder`` (created; other ``*.toml`` there would join the catalog, so the
    folder must hold no other TOML file). Returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    files = catalog_files(catalog, supervise_phone=supervise_phone)
    stray = sorted(p.name for p in folder.glob("*.toml") if p.name not in files)
    if stray:
        from app.errors import CatalogError

        raise CatalogError(f"目录 {folder} 中已有其他事项文件（{'、'.join(stray[:3])}），请指定一个空目录",
                           field="write_toml")
    written = []
    for name, text in files.items():
        fsync_file(folder / name, text.encode("utf-8"))
        written.append(folder / name)
    return written
