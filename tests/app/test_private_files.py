"""Personal data on disk is for the running account only: 0600 files, 0700 directories (POSIX; Windows keeps
the ACLs of the profile folder, see docs/security.md)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app.settings import Settings, save_settings, secure_paths
from app.store import open_store
from app.store.engine import fsync_file
from app.store.models import Hall
from sync.testbed import HubThread, add_device

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Windows: ACLs of the profile folder, no POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def loose_umask() -> Iterator[None]:
    old = os.umask(0o022)  # what a default desktop session has: files 0644, directories 0755
    yield
    os.umask(old)


def test_a_new_store_its_directory_and_its_wal_are_private(tmp_path: Path) -> None:
    db = tmp_path / "data" / "sub" / "counter.db"
    store = open_store(f"sqlite:///{db}")
    with store.write() as s:
        s.add(Hall(code="150929", name="四子王旗政务服务中心"))
    try:
        assert mode(db) == 0o600 and mode(db.parent) == 0o700 and mode(db.parent.parent) == 0o700
        wal = db.with_name("counter.db-wal")
        assert wal.exists() and mode(wal) == 0o600
    finally:
        store.dispose()


def test_an_existing_world_readable_store_is_tightened_on_open(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o755)
    db = tmp_path / "counter.db"
    open_store(f"sqlite:///{db}").dispose()
    os.chmod(db, 0o644)
    open_store(f"sqlite:///{db}").dispose()
    assert mode(db) == 0o600
    assert mode(tmp_path) == 0o755  # a directory the admin chose is not changed


def test_settings_file_data_and_files_directories(tmp_path: Path) -> None:
    config = tmp_path / "config" / "settings.toml"
    settings = Settings(data_dir=tmp_path / "data")
    settings.sync.token = "device-token"
    save_settings(settings, config)
    assert mode(config) == 0o600 and mode(config.parent) == 0o700
    os.chmod(config, 0o644)
    settings.data_dir.mkdir(mode=0o755)
    os.chmod(settings.data_dir, 0o755)
    settings.source = config
    secure_paths(settings)
    assert mode(config) == 0o600 and mode(settings.data_dir) == 0o700 and mode(settings.files_dir) == 0o700


def test_scans_written_by_the_store_helper_are_private(tmp_path: Path) -> None:
    target = tmp_path / "files" / "ab" / "case" / "0.jpg"
    fsync_file(target, b"scan")
    assert mode(target) == 0o600 and mode(target.parent) == 0o700 and mode(tmp_path / "files") == 0o700


def test_hub_database_files_directory_and_uploads_are_private(tmp_path: Path) -> None:
    db = tmp_path / "hub" / "hub.db"
    token = add_device(f"sqlite:///{db}", "dev")
    hub = HubThread(f"sqlite:///{db}", tmp_path / "hub-files").start()
    try:
        r = requests.post(f"{hub.url}/files/", headers={"Authorization": f"Bearer {token}",
                                                        "Tus-Resumable": "1.0.0", "Upload-Length": "4"}, timeout=10)
        assert r.status_code == 201
        upload = tmp_path / "hub-files" / "uploads" / r.headers["Location"].rsplit("/", 1)[1]
        assert mode(upload) == 0o600 and mode(upload.parent) == 0o700 and mode(tmp_path / "hub-files") == 0o700
        assert mode(db) == 0o600 and mode(db.parent) == 0o700
    finally:
        hub.stop()
