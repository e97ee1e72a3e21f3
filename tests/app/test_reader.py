"""The serial reader client, the polling loop and ``python -m app id read`` against the pty simulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from app.devices.gat467 import IdCard
from app.devices.reader import CardPoller, SerialCardReader, open_reader
from app.devices.simulator import SAMPLE_CARDS, ReaderSimulator
from app.errors import DeviceError

TODAY = date(2026, 11, 22)  # the hall day the cards are checked on

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sim() -> Iterator[ReaderSimulator]:
    with ReaderSimulator() as simulator:
        yield simulator


@pytest.fixture
def reader(sim: ReaderSimulator) -> Iterator[SerialCardReader]:
    with open_reader(sim.port, today=lambda: TODAY, timeout=1.0) as r:
        yield r


def wait_until(pred: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.01)
    return pred()


def test_no_card_is_none(reader: SerialCardReader) -> None:
    assert reader.read_card() is None


@pytest.mark.parametrize("kind", ["resident", "hmt", "foreign"])
def test_reads_each_card_type(sim: ReaderSimulator, reader: SerialCardReader, kind: str) -> None:
    sim.place(kind)
    card = reader.read_card()
    assert card is not None
    assert card.id_number == SAMPLE_CARDS[kind]["id_number"]
    assert card.id_check.valid
    assert sim.commands_seen[-3:] == [(0x20, 0x01), (0x20, 0x02), (0x30, 0x01)]


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("bad_checksum", "读卡器数据校验错误"),
        ("truncated", "读卡器数据不完整"),
        ("silence", "读卡器无响应"),
        ("garbage", "读卡器数据帧头错误"),
        ("take_card", "读卡过程中证件被移开"),
    ],
)
def test_faults_become_clear_errors_and_the_next_read_works(
    sim: ReaderSimulator, reader: SerialCardReader, fault: str, message: str
) -> None:
    sim.place("resident")
    sim.inject(fault)
    with pytest.raises(DeviceError, match=message):
        reader.read_card()
    if fault == "take_card":
        assert reader.read_card() is None  # the card really is gone
        sim.place("resident")
    card = reader.read_card()
    assert card is not None and card.name == "乌云其其格"


def test_unplugged_reader(sim: ReaderSimulator, reader: SerialCardReader) -> None:
    sim.place("resident")
    sim.unplug()
    with pytest.raises(DeviceError, match="读卡器未连接"):
        reader.read_card()


def test_missing_port_is_not_connected(tmp_path: Path) -> None:
    with pytest.raises(DeviceError, match="读卡器未连接"):
        open_reader(str(tmp_path / "ttyUSB9"), today=lambda: TODAY)


class Recorder:
    def __init__(self) -> None:
        self.cards: list[IdCard] = []
        self.errors: list[str] = []
        self.removed = 0
        self.changed = threading.Condition()

    def on_card(self, card: IdCard) -> None:
        with self.changed:
            self.cards.append(card)
            self.changed.notify_all()

    def on_error(self, exc: DeviceError) -> None:
        with self.changed:
            self.errors.append(exc.message)
            self.changed.notify_all()

    def on_removed(self) -> None:
        with self.changed:
            self.removed += 1
            self.changed.notify_all()

    def wait(self, pred: Callable[[], bool], timeout: float = 5.0) -> bool:
        with self.changed:
            return self.changed.wait_for(pred, timeout)


def _poller(sim: ReaderSimulator, rec: Recorder, **kw: float) -> CardPoller:
    return CardPoller(
        lambda: open_reader(sim.port, today=lambda: TODAY, timeout=0.5),
        on_card=rec.on_card,
        on_error=rec.on_error,
        on_removed=rec.on_removed,
        interval=0.02,
        **kw,
    )


def test_poller_reports_each_placement_once(sim: ReaderSimulator) -> None:
    rec = Recorder()
    poller = _poller(sim, rec)
    poller.start()
    try:
        sim.place("resident")
        assert rec.wait(lambda: len(rec.cards) == 1)
        seen = len(sim.commands_seen)
        # The card stays: many more polls happen, none of them reads the card again.
        assert wait_until(lambda: len(sim.commands_seen) >= seen + 10)
        assert len(rec.cards) == 1
        assert (0x30, 0x01) not in sim.commands_seen[seen:]
        sim.remove()
        assert rec.wait(lambda: rec.removed == 1)
        sim.place("hmt")
        assert rec.wait(lambda: len(rec.cards) == 2)
        assert [c.card_type for c in rec.cards] == ["resident", "hmt_residence"]
    finally:
        poller.stop()
    assert not poller.running


def test_poller_reports_a_failed_read_once_then_recovers(sim: ReaderSimulator) -> None:
    rec = Recorder()
    sim.place("resident")
    for _ in range(3):
        sim.inject("bad_checksum")  # three answers in a row come back corrupted
    poller = _poller(sim, rec)
    poller.start()
    try:
        assert rec.wait(lambda: len(rec.cards) == 1)
        assert rec.errors == ["读卡器数据校验错误"]
    finally:
        poller.stop()


def test_poller_reports_unplugging_once(sim: ReaderSimulator) -> None:
    rec = Recorder()
    attempts: list[int] = []

    def open_source() -> SerialCardReader:
        attempts.append(1)
        return open_reader(sim.port, today=lambda: TODAY, timeout=0.5)

    poller = CardPoller(open_source, on_card=rec.on_card, on_error=rec.on_error, interval=0.02,
                        reconnect_interval=0.02)  # fmt: skip
    poller.start()
    try:
        sim.place("resident")
        assert rec.wait(lambda: len(rec.cards) == 1)
        sim.unplug()
        assert rec.wait(lambda: len(rec.errors) >= 1)
        assert rec.errors[0] == "读卡器未连接"
        assert wait_until(lambda: len(attempts) >= 5)  # it keeps trying to reconnect…
        assert poller.running
        # …but the clerk is told once, not on every attempt (reopening names the port: a second message).
        assert len(rec.errors) <= 2 and all(e.startswith("读卡器未连接") for e in rec.errors)
    finally:
        poller.stop()


# --- the command line, end to end --------------------------------------------------------------------------


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "app", "id", "read", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_cli_reads_a_resident_card_as_json(sim: ReaderSimulator) -> None:
    sim.place("resident")
    done = _run_cli("--port", sim.port, "--json", "--timeout", "3")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    for key in ("card_type", "name", "gender", "nation", "birth_date", "address", "id_number", "authority",
                "valid_from", "valid_to"):  # fmt: skip
        assert data[key], key
    assert (data["name"], data["gender"], data["nation"]) == ("乌云其其格", "女", "蒙古族")
    assert data["birth_date"] == "1990-03-07" and data["id_valid"] is True


def test_cli_reads_permit_number_and_issue_count(sim: ReaderSimulator) -> None:
    sim.place("hmt")
    done = _run_cli("--port", sim.port, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["card_type"], data["permit_number"], data["issue_count"]) == (
        "hmt_residence",
        "H12345678",
        "01",
    )


def test_cli_plain_text_output(sim: ReaderSimulator) -> None:
    sim.place("resident")
    done = _run_cli("--port", sim.port)
    assert done.returncode == 0, done.stderr
    assert "姓名：乌云其其格" in done.stdout and "民族：蒙古族" in done.stdout


def test_cli_without_a_card_exits_1_with_a_reason(sim: ReaderSimulator) -> None:
    done = _run_cli("--port", sim.port, "--timeout", "0.5")
    assert done.returncode == 1
    assert done.stderr.strip() == "错误：读卡器上没有证件，请把证件放在读卡区后重试"
    assert done.stdout == ""


def test_cli_on_a_missing_port_exits_1(tmp_path: Path) -> None:
    done = _run_cli("--port", str(tmp_path / "nope"), "--timeout", "0.5")
    assert done.returncode == 1
    assert done.stderr.startswith("错误：读卡器未连接")


def test_cli_on_a_corrupted_answer_exits_1(sim: ReaderSimulator) -> None:
    sim.place("resident")
    for _ in range(40):
        sim.inject("bad_checksum")
    done = _run_cli("--port", sim.port, "--timeout", "1")
    assert done.returncode == 1
    assert "读卡器数据校验错误" in done.stderr


def test_simulator_command_line_serves_a_reader() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with subprocess.Popen(
        [sys.executable, "-m", "app.devices.simulator", "--card", "hmt"],
        cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None and proc.stdin is not None
            port = proc.stdout.readline().strip()
            assert port.startswith("/dev/")
            done = _run_cli("--port", port, "--json")
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)["permit_number"] == "H12345678"
            proc.stdin.write("remove\n")
            proc.stdin.flush()
            assert proc.stdout.readline().strip() == "ok"
            done = _run_cli("--port", port, "--timeout", "0.3")
            assert done.returncode == 1 and "没有证件" in done.stderr
            proc.stdin.write("quit\n")
            proc.stdin.flush()
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
