"""Devices are enrolled, not trusted by default: a one-time code made on the hub becomes one counter's credential
(kept 0600 in its settings) bound to the code's hall; a counter not enrolled, revoked, or pushing another hall's
case is refused with a clear message and nothing changes at the hub."""

from __future__ import annotations

import datetime as dt
import json
import stat
import tomllib
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from app.store import open_store
from console import main as app_main
from sync.server import service
from sync.server.__main__ import main as hub_main
from sync.server.models import Device, Enrolment, HubCase, Operation
from sync.testbed import seed_cases
from tests.sync.conftest import RunningHub
from tests.sync.test_hub import case_item


def hub_counts(hub: RunningHub) -> tuple[int, int, int]:
    with hub.hub.store.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) or 0  # type: ignore[return-value]
                     for t in (Device, HubCase, Operation))


def make_code(hub: RunningHub, capsys: pytest.CaptureFixture[str], hall: str = "150929") -> str:
    assert hub_main(["device", "enroll", "--hall", hall, "--db", hub.db_url, "--json"]) == 0
    return str(json.loads(capsys.readouterr().out)["code"])


def counter_settings(tmp_path: Path) -> Path:
    path = tmp_path / "counter" / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_text(f'data_dir = "{(tmp_path / "counter" / "data").as_posix()}"\n', encoding="utf-8")
    return path


def enroll(capsys: pytest.CaptureFixture[str], cfg: Path, url: str, code: str) -> tuple[int, str, str]:
    rc = app_main(["sync", "enroll", url, code, "--name", "四子王旗政务服务中心-3号窗口", "--config", str(cfg)])
    out, err = capsys.readouterr()
    return rc, out, err


def test_a_one_time_code_becomes_a_private_credential_bound_to_its_hall(
        hub: RunningHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = make_code(hub, capsys)
    with hub.hub.store.read() as s:  # only the code's hash is on the hub
        assert all(code.replace("-", "") not in e.code_hash for e in s.scalars(select(Enrolment)))
    cfg = counter_settings(tmp_path)
    rc, out, err = enroll(capsys, cfg, hub.url, code)
    assert rc == 0, err
    assert "已登记" in out and "150929" in out
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    saved = tomllib.loads(cfg.read_text(encoding="utf-8"))["sync"]
    assert saved["hub_url"] == hub.url
    assert requests.get(f"{hub.url}/v1/health", headers=hub.auth(saved["token"]), timeout=10).status_code == 200
    with hub.hub.store.read() as s:
        device = s.scalars(select(Device).where(Device.name == "四子王旗政务服务中心-3号窗口")).one()
        assert device.hall_code == "150929" and device.token_hash == service.token_hash(saved["token"])

    # The same code again (another PC, or a replay) is refused with its reason and creates nothing.
    before = hub_counts(hub)
    rc, _, err = enroll(capsys, counter_settings(tmp_path / "other"), hub.url, code)
    assert rc != 0 and "已使用过" in err and "申请新的注册码" in err
    assert hub_counts(hub) == before


def test_unknown_and_expired_codes_are_refused_with_nothing_created(
        hub: RunningHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with hub.hub.store.write() as s:
        stale = service.create_enrolment(s, "150929", valid=dt.timedelta(hours=1),
                                         now=dt.datetime(2020, 1, 1, 8, tzinfo=dt.UTC))  # issued and expired long ago
    before = hub_counts(hub)
    cfg = counter_settings(tmp_path)
    rc, _, err = enroll(capsys, cfg, hub.url, stale)
    assert rc != 0 and "过期" in err
    rc, _, err = enroll(capsys, cfg, hub.url, "AAAA-BBBB-CCCC-DDDD-EEEE")
    assert rc != 0 and "注册码无效" in err
    assert hub_counts(hub) == before
    assert "token" not in tomllib.loads(cfg.read_text(encoding="utf-8")).get("sync", {})


def test_not_enrolled_revoked_or_other_hall_is_refused_and_the_hub_unchanged(
        hub: RunningHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = counter_settings(tmp_path)
    rc, _, err = enroll(capsys, cfg, hub.url, make_code(hub, capsys))
    assert rc == 0, err
    token = tomllib.loads(cfg.read_text(encoding="utf-8"))["sync"]["token"]
    store = open_store(f"sqlite:///{tmp_path / 'counter' / 'data' / 'counter.db'}")
    seed_cases(store, tmp_path / "counter" / "data" / "files", 2, attachments=0)
    store.dispose()

    # Not enrolled: a token the hub never issued.
    before = hub_counts(hub)
    r = requests.post(f"{hub.url}/v1/cases", json={"items": [case_item("150929-701")]},
                      headers=hub.auth(uuid.uuid4().hex), timeout=10)
    assert r.status_code == 401 and "联系管理员" in r.json()["message"]
    # Another hall: the enrolled device may push cases of its own hall only.
    foreign = case_item("999999-001")
    foreign["payload"]["hall_code"] = "999999"
    r = requests.post(f"{hub.url}/v1/cases", json={"items": [foreign]}, headers=hub.auth(token), timeout=10)
    [answer] = r.json()["results"]
    assert answer["status"] == 403 and answer["error"] == "wrong_hall" and "999999" in answer["message"]
    assert hub_counts(hub) == before

    # Revoked: the counter's next sync is refused, the clerk is told why, and nothing it sends is kept.
    assert hub_main(["device", "revoke", "四子王旗政务服务中心-3号窗口", "--db", hub.db_url]) == 0
    capsys.readouterr()
    rc = app_main(["sync", "run", "--config", str(cfg)])
    err = capsys.readouterr().err
    assert rc == 4 and "令牌无效或已停用" in err
    assert hub_counts(hub) == before


def test_the_hub_refuses_plain_http_off_loopback_unless_told(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    rc = hub_main(["--db", f"sqlite:///{tmp_path / 'hub.db'}", "--files", str(tmp_path / "f"),
                   "--host", "0.0.0.0", "--port", "1"])
    err = capsys.readouterr().err
    assert rc != 0 and "明文 HTTP" in err and "--certfile" in err and "--allow-plain-http" in err
