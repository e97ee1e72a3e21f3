"""The hub over TLS: the client trusts it only through the configured CA bundle (Settings.sync.ca_file)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store import open_store
from sync.hub_client import HubClient, HubConfig, Transient
from sync.relay import Relay
from sync.testbed import HubThread, add_device, seed_cases


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway CA and a server certificate for 127.0.0.1 / localhost signed by it."""
    d = tmp_path_factory.mktemp("pki")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=Test County Hub CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "hub.key", "-out", "hub.csr",
            "-subj", "/CN=hub.test", cwd=d)
    (d / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "hub.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "hub.pem", "-days", "2", "-extfile", "ext.cnf", cwd=d)
    return d


@pytest.fixture
def tls_hub(pki: Path, tmp_path: Path) -> Iterator[tuple[HubThread, str]]:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    token = add_device(db, "tls-device")
    hub = HubThread(db, tmp_path / "hub-files",
                    ssl={"ssl_certfile": str(pki / "hub.pem"), "ssl_keyfile": str(pki / "hub.key")}).start()
    yield hub, token
    hub.stop()


def test_client_verifies_the_hub_against_the_configured_ca(pki: Path, tls_hub: tuple[HubThread, str],
                                                           tmp_path: Path) -> None:
    hub, token = tls_hub
    assert hub.url.startswith("https://")
    trusted = HubClient(HubConfig(hub.url, token, ca_file=str(pki / "ca.pem"), connect_timeout=5, read_timeout=5))
    assert trusted.health()["status"] == "ok"
    untrusted = HubClient(HubConfig(hub.url, token, connect_timeout=5, read_timeout=5))
    with pytest.raises(Transient, match="证书不受信任"):
        untrusted.health()


def test_relay_sends_over_tls_only_with_the_ca(pki: Path, tls_hub: tuple[HubThread, str], tmp_path: Path) -> None:
    hub, token = tls_hub
    client = open_store(f"sqlite:///{tmp_path / 'client.db'}")
    seed_cases(client, tmp_path / "files", 2)
    without = Relay(client, HubConfig(hub.url, token), files_dir=tmp_path / "files", data_dir=tmp_path)
    report = without.run_once()
    assert not report.online and report.pending == 2 and "证书" in report.error
    with_ca = Relay(client, HubConfig(hub.url, token, ca_file=str(pki / "ca.pem")), files_dir=tmp_path / "files",
                    data_dir=tmp_path)
    report = with_ca.run_once()
    assert report.online and report.sent == 2
    client.dispose()


@pytest.mark.parametrize("url", ["http://hub.example.cn/", "http://192.168.1.5:8765/", "ftp://hub.example.cn/",
                                 "hub.example.cn"])
def test_case_data_never_leaves_this_pc_over_plain_http(url: str) -> None:
    """A hub across a wire is reached over HTTPS only: the client refuses the address before sending a byte."""
    from app.errors import SyncError

    with pytest.raises(SyncError) as caught:
        HubClient(HubConfig(url=url, token="device-token"))
    assert "https://" in caught.value.message


def test_plain_http_is_allowed_on_loopback() -> None:
    client = HubClient(HubConfig(url="http://127.0.0.1:9/", token="device-token"))
    client.close()
