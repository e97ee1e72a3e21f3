"""Keeping catalog versions in the store: each import is a new, never-changed version; the newest is current.

Cases point at the version id they were accepted under and keep their own matter snapshot, so importing a newer
catalog never changes an older case.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.catalog.loader import load_catalog
from app.catalog.model import Catalog, Matter
from app.catalog.payload import (
    catalog_meta,
    catalog_sha256,
    matter_from_payload,
    matter_to_payload,
    meta_parts,
)
from app.errors import CatalogError
from app.store.models import CatalogVersion, MatterRow


def version_key(version: str, issued: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Order of catalog versions: by issue date, then by the version string read naturally (2026.10 > 2026.9)."""
    parts = tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.findall(r"\d+|[^\d.\-_ ]+", version))
    return issued, parts


def import_catalog(session: Session, catalog: Catalog, *, source: str) -> int:
    """Store ``catalog`` as a version and return its id.

    Importing the same content under the same version again is a no-op returning the same id; different content
    under an already-imported version is a :class:`CatalogError`. The version becomes current when it is newer
    than the current one; older versions are never modified.
    """
    digest = catalog_sha256(catalog)
    existing = session.scalars(select(CatalogVersion).where(CatalogVersion.version == catalog.version)).one_or_none()
    if existing is not None:
        if existing.sha256 != digest:
            raise CatalogError(
                f"事项目录版本 {catalog.version} 已导入过且内容不同；修改目录后请提高 version 再导入", field="version"
            )
        return existing.id
    row = CatalogVersion(
        version=catalog.version, issued=catalog.issued, source=source, sha256=digest, current=False,
        # The row's ``source`` says where this import came from; the catalog's own description goes in meta.
        meta={**catalog_meta(catalog), "source": catalog.source},
    )
    session.add(row)
    session.flush()
    session.add_all(
        MatterRow(catalog_version_id=row.id, code=m.code, name=m.name, department=m.department,
                  payload=matter_to_payload(m))
        for m in catalog.matters
    )
    current = session.scalars(select(CatalogVersion).where(CatalogVersion.current.is_(True))).first()
    if current is None or version_key(catalog.version, catalog.issued) > version_key(current.version, current.issued):
        session.execute(update(CatalogVersion).where(CatalogVersion.id != row.id).values(current=False))
        row.current = True
    session.flush()
    return row.id


def next_version(session: Session, issued: str) -> str:
    """The version an import issued on ``issued`` (YYYY-MM-DD) gets when the admin names none: the date, then
    a running number for that day (``2026.12.07.1``, ``2026.12.07.2``), so each later import sorts newer."""
    prefix = issued.replace("-", ".") + "."
    taken = session.scalars(select(CatalogVersion.version).where(CatalogVersion.version.startswith(prefix))).all()
    numbers = [int(v[len(prefix):]) for v in taken if v[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


# Rebuilt catalogs by content hash. A stored version never changes and the hash covers everything in it, so
# an entry can never go stale, and sharing one between stores or threads is safe (Catalog is frozen).
_REBUILT: dict[str, Catalog] = {}
_REBUILT_MAX = 8


def _rebuild(session: Session, row: CatalogVersion) -> Catalog:
    cached = _REBUILT.get(row.sha256)
    if cached is not None and cached.version == row.version:
        return cached
    catalog = _rebuild_rows(session, row)
    if len(_REBUILT) >= _REBUILT_MAX:
        _REBUILT.pop(next(iter(_REBUILT)), None)
    _REBUILT[row.sha256] = catalog
    return catalog


def _rebuild_rows(session: Session, row: CatalogVersion) -> Catalog:
    payloads = session.scalars(
        select(MatterRow.payload).where(MatterRow.catalog_version_id == row.id).order_by(MatterRow.id)
    ).all()
    meta: dict[str, Any] = row.meta or {}
    return Catalog(
        version=row.version, issued=row.issued, source=meta.get("source", row.source),
        matters=tuple(matter_from_payload(p) for p in payloads), **meta_parts(meta),
    )


def current_catalog(session: Session) -> tuple[int, Catalog] | None:
    """The current version's id and catalog, rebuilt from the stored rows; None when nothing was imported."""
    row = session.scalars(select(CatalogVersion).where(CatalogVersion.current.is_(True))).first()
    if row is None:
        return None
    return row.id, _rebuild(session, row)


def current_categories(session: Session) -> dict[str, str]:
    """The current catalog's queue categories (letter → name) without rebuilding its matters; {} when none."""
    meta = session.scalars(select(CatalogVersion.meta).where(CatalogVersion.current.is_(True))).first()
    return dict((meta or {}).get("categories", {}))


def current_categories_mn(session: Session) -> dict[str, str]:
    """The current catalog's Mongolian category names (letter → name, ``[categories_mn]``); {} when none."""
    meta = session.scalars(select(CatalogVersion.meta).where(CatalogVersion.current.is_(True))).first()
    return dict((meta or {}).get("categories_mn", {}))


def catalog_by_id(session: Session, version_id: int) -> Catalog | None:
    """Any stored version (e.g. the one an old case was accepted under)."""
    row = session.get(CatalogVersion, version_id)
    return None if row is None else _rebuild(session, row)


def stored_matter(session: Session, version_id: int, code: str) -> Matter | None:
    payload = session.scalars(
        select(MatterRow.payload).where(MatterRow.catalog_version_id == version_id, MatterRow.code == code)
    ).first()
    return None if payload is None else matter_from_payload(payload)


def ensure_catalog(store: Any, path: Path | None = None) -> tuple[int, Catalog]:
    """The store's current catalog, first importing the shipped one (or ``path``) when the store has none or
    only an older one. Safe when two hall PCs start at once: the loser of the race reads the winner's rows."""
    shipped = load_catalog(path)
    source = f"shipped:{path}" if path is not None else "shipped"
    for attempt in range(2):
        try:
            with store.write() as session:
                found = current_catalog(session)
                if found is not None and version_key(found[1].version, found[1].issued) >= version_key(
                    shipped.version, shipped.issued
                ):
                    return found
                import_catalog(session, shipped, source=source)
                result = current_catalog(session)
                assert result is not None
                return result
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
