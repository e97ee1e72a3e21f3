"""An imported 实施清单 reaches the counters: the import writes the catalog files, the hub publishes them, the
counter's change feed imports them as its current version — the same catalog, matter for matter."""

from __future__ import annotations

from pathlib import Path

from app.catalog.importer import plan_import
from app.catalog.payload import catalog_sha256
from app.catalog.sheet import load_mapping
from app.catalog.store import current_catalog
from app.catalog.writer import write_catalog_dir
from app.store import open_store
from benchmarks.catalog_gen import matters, write_csv
from sync.server.publish import publish_files
from tests.sync.conftest import RunningHub
from tests.sync.test_relay import make_relay


def test_the_1200_matter_import_is_published_and_becomes_current_at_the_counter(hub: RunningHub,
                                                                              tmp_path: Path) -> None:
    sheet = tmp_path / "实施清单.csv"
    write_csv(sheet, matters(1200))
    plan = plan_import(sheet, mapping=load_mapping(None), current=None, version="2026.12.07.1",
                       issued="2026-12-07")
    files = write_catalog_dir(plan.catalog, tmp_path / "publish")
    with hub.hub.store.write() as session:
        publish_files(session, "catalog", files, version=plan.catalog.version)
    client = open_store(f"sqlite:///{tmp_path / 'client.db'}")
    try:
        relay = make_relay(client, hub.url, hub.token, tmp_path)
        assert relay.run_once().changes == 1
        with client.read() as session:
            current = current_catalog(session)
    finally:
        client.dispose()
    assert current is not None and current[1].version == "2026.12.07.1" and len(current[1].matters) == 1200
    assert catalog_sha256(current[1]) == catalog_sha256(plan.catalog)
