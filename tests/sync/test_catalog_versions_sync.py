"""A newer catalog version published by the hub: the counter switches to it for new cases (and new bundles),
while a case accepted under the old version keeps that version, its matter snapshot and its deadlines; an older
version published afterwards does not switch the counter back."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sqlalchemy import select

from app.cases.bundle import accept_bundle
from app.cases.service import accept, supply_materials
from app.catalog import load_catalog
from app.catalog.model import TimeLimit
from app.catalog.store import current_catalog
from app.catalog.writer import write_catalog_dir
from app.store import open_store
from app.store.models import Case
from sync.server.publish import publish_files
from tests.app._case_kit import MONDAY, PENSION, pension_request, prepare
from tests.app.test_bundles import _request
from tests.hall_clock import CLOCK
from tests.sync.conftest import RunningHub
from tests.sync.test_relay import make_relay


def _publish(hub: RunningHub, catalog: object, folder: Path) -> None:
    files = write_catalog_dir(catalog, folder)  # type: ignore[arg-type]
    with hub.hub.store.write() as session:
        publish_files(session, "catalog", files, version=catalog.version)  # type: ignore[attr-defined]


def test_a_newer_version_from_the_hub_is_used_for_new_cases_and_old_cases_keep_theirs(
        hub: RunningHub, tmp_path: Path) -> None:
    client = open_store(f"sqlite:///{tmp_path / 'counter.db'}")
    try:
        prepare(client)
        old = accept(client, pension_request(photo="deferred"), files_dir=tmp_path / "files", clock=CLOCK)
        shipped = load_catalog()
        # The region shortens the pension's promised limit and adds a bundle: a new version, published.
        newer = dataclasses.replace(
            shipped, version="2026.12.1", issued="2026-12-01",
            matters=tuple(dataclasses.replace(m, promised=TimeLimit(3)) if m.code == PENSION else m
                          for m in shipped.matters))
        _publish(hub, newer, tmp_path / "v2")
        relay = make_relay(client, hub.url, hub.token, tmp_path)
        assert relay.run_once().changes == 1
        with client.read() as session:
            found = current_catalog(session)
            assert found is not None and found[1].version == "2026.12.1"
            v2 = found[0]
            kept = session.scalars(select(Case).where(Case.case_no == old.summary.case_no)).one()
            assert kept.catalog_version_id != v2
            assert kept.matter_snapshot["promised"]["amount"] == 5  # its own snapshot, not the new text
            old_due = kept.promised_due
        new = accept(client, pension_request(photo="deferred", id_no=None), files_dir=tmp_path / "files",
                     clock=CLOCK)
        bundle = accept_bundle(client, _request(), files_dir=tmp_path / "files", clock=CLOCK)
        with client.read() as session:
            fresh = session.scalars(select(Case).where(Case.case_no == new.summary.case_no)).one()
            assert fresh.catalog_version_id == v2 and fresh.matter_snapshot["promised"]["amount"] == 3
            assert fresh.promised_due is not None and old_due is not None and fresh.promised_due < old_due
            assert {c.catalog_version_id for c in session.scalars(
                select(Case).where(Case.bundle_id == bundle.bundle_id))} == {v2}
        # The old case goes on under its own version: the deferred photo is supplied as that version asked.
        owed = supply_materials(client, case_no=old.summary.case_no, materials=pension_request().materials[4:5],
                                actor="clerk01", at=MONDAY, files_dir=tmp_path / "files")
        assert owed == []
        # An older version published later is imported but does not become current.
        _publish(hub, dataclasses.replace(shipped, version="2025.9.1", issued="2025-09-01"), tmp_path / "v0")
        assert relay.run_once().changes == 1
        with client.read() as session:
            again = current_catalog(session)
        assert again is not None and again[0] == v2
    finally:
        client.dispose()
