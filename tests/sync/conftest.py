"""Fixtures for the sync tests: a hub on loopback, a registered device, a client store with cases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sync.testbed import HubThread, add_device


@dataclass
class RunningHub:
    hub: HubThread
    token: str
    db_url: str
    files: Path

    @property
    def url(self) -> str:
        return self.hub.url

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}


def start_hub(db_url: str, files: Path) -> Iterator[RunningHub]:
    token = add_device(db_url, "乌兰花镇便民服务中心-1")
    hub = HubThread(db_url, files).start()
    try:
        yield RunningHub(hub, token, db_url, files)
    finally:
        hub.stop()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[RunningHub]:
    yield from start_hub(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path / "hub-files")
