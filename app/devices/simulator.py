"""A GA/T 467 card reader simulator on a pseudo-terminal pair, for tests, benchmarks and trying the UI without a reader.

``python -m app.devices.simulator`` prints the pty path to open (e.g. ``/dev/pts/5``), then takes commands on
stdin: ``place [resident|hmt|foreign]``, ``remove``, ``fault bad_checksum|truncated|silence|garbage|take_card``,
``unplug``, ``quit``. Answers are paced like a 115200-baud line (10 bits per byte).
"""

from __future__ import annotations

import argparse
import os
import select
import sys
import threading
import time
import tty
from collections import deque
from typing import Literal

from app.devices import gat467

Fault = Literal["bad_checksum", "truncated", "silence", "garbage", "take_card"]
FAULTS: tuple[str, ...] = ("bad_checksum", "truncated", "silence", "garbage", "take_card")

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(first17: str) -> str:
    """Complete a sample 17-digit number with its GB 11643 check character (sample data only)."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


# Sample cards (fictitious people; numbers carry a correct check digit, 150929 = 四子王旗).
SAMPLE_CARDS: dict[str, dict[str, str]] = {
    "resident": {
        "card_type": " ",
        "name": "乌云其其格",
        "gender": "2",
        "nation": "02",
        "birth_date": "19900307",
        "address": "内蒙古自治区乌兰察布市四子王旗乌兰花镇团结路12号",
        "id_number": with_check_digit("15092919900307122"),
        "authority": "四子王旗公安局",
        "valid_from": "20150601",
        "valid_to": "20350601",
    },
    "hmt": {
        "card_type": "J",
        "name": "陈大文",
        "gender": "1",
        "nation": "",
        "birth_date": "19850512",
        "address": "内蒙古自治区呼和浩特市新城区中山东路8号",
        "id_number": with_check_digit("81000019850512003"),
        "authority": "呼和浩特市公安局",
        "valid_from": "20200110",
        "valid_to": "20250110",
        "permit_number": "H12345678",
        "issue_count": "01",
    },
    "foreign": {
        "card_type": "I",
        "english_name": "SMITH, JOHN",
        "gender": "1",
        "id_number": "USA157506120012",
        "nationality_code": "USA",
        "name": "约翰史密斯",
        "valid_from": "20180301",
        "valid_to": "20280301",
        "birth_date": "19750612",
        "card_version": "01",
        "authority": "1500",
    },
}


def sample_card_bytes(kind: str, *, photo: bytes | None = None) -> tuple[bytes, bytes]:
    """(text block, WLT photo) for a sample card. The photo is filler: real WLT needs the licensed decoder."""
    text = gat467.encode_card_text(SAMPLE_CARDS[kind])
    return text, photo if photo is not None else bytes((i * 7) & 0xFF for i in range(gat467.PHOTO_LEN))


class ReaderSimulator:
    """Answers GA/T 467 commands on the master side of a pty; open :attr:`port` with pyserial.

    Thread-safe controls: :meth:`place`, :meth:`remove`, :meth:`inject` (one-shot faults, in order),
    :meth:`unplug`. ``baud`` paces the answers; ``read_delay`` adds the card's own processing time.
    """

    def __init__(self, *, baud: int = 115200, read_delay: float = 0.0) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no CR/LF translation: bytes pass as they are
        self.port = os.ttyname(self._slave)
        self._baud = baud
        self._read_delay = read_delay
        self._lock = threading.Lock()
        self._card: tuple[bytes, bytes] | None = None
        self._faults: deque[str] = deque()
        self._stop = threading.Event()
        self._closed = False
        self.commands_seen: list[tuple[int, int]] = []
        self._thread = threading.Thread(target=self._serve, name="reader-simulator", daemon=True)
        self._thread.start()

    # -- controls -----------------------------------------------------------------------------------------

    def place(self, kind: str = "resident", *, text: bytes | None = None, photo: bytes | None = None) -> None:
        card = (text, photo or b"\x00" * gat467.PHOTO_LEN) if text is not None else sample_card_bytes(kind)
        with self._lock:
            self._card = card

    def remove(self) -> None:
        with self._lock:
            self._card = None

    def inject(self, fault: str) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {', '.join(FAULTS)}")
        with self._lock:
            self._faults.append(fault)

    def unplug(self) -> None:
        """Like pulling the USB cable: the port's fds close and the client's next I/O fails."""
        self._stop.set()
        self._thread.join(2)
        self._close_fds()

    def close(self) -> None:
        self.unplug()

    def __enter__(self) -> ReaderSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _close_fds(self) -> None:
        if self._closed:
            return
        self._closed = True
        for fd in (self._master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass

    # -- serving --------------------------------------------------------------------------------------------

    def _serve(self) -> None:
        buf = bytearray()
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._master], [], [], 0.05)
                if not ready:
                    continue
                buf += os.read(self._master, 4096)
            except OSError:
                return
            while True:
                start = buf.find(gat467.PREAMBLE)
                if start < 0:
                    del buf[: max(0, len(buf) - len(gat467.PREAMBLE) + 1)]
                    break
                del buf[:start]
                if len(buf) < gat467.HEADER_LEN:
                    break
                try:
                    total = gat467.frame_length(bytes(buf[: gat467.HEADER_LEN]))
                except Exception:
                    del buf[:1]
                    continue
                if len(buf) < total:
                    break
                frame = bytes(buf[:total])
                del buf[:total]
                self._answer(frame)

    def _answer(self, frame: bytes) -> None:
        try:
            cmd = gat467.decode_command(frame)
        except Exception:
            # A real reader answers a mangled command with a checksum-error status (SW3 0x10).
            self._send(gat467.encode_response(0x10))
            return
        self.commands_seen.append((cmd.cmd, cmd.para))
        with self._lock:
            fault = self._faults.popleft() if self._faults else None
            card = self._card
        if fault == "take_card" and (cmd.cmd, cmd.para) != gat467.CMD_READ_BASE:
            with self._lock:
                self._faults.appendleft(fault)  # wait for the read command: the card goes mid-read
            fault = None
        if fault == "silence":
            return
        key = (cmd.cmd, cmd.para)
        if key == gat467.CMD_FIND:
            reply = gat467.encode_response(
                gat467.SW_FIND_OK if card else gat467.SW_NO_CARD, b"\x00" * 8 if card else b""
            )
        elif key == gat467.CMD_SELECT:
            reply = gat467.encode_response(
                gat467.SW_OK if card else gat467.SW_SELECT_FAILED, b"\x00" * 8 if card else b""
            )
        elif key == gat467.CMD_READ_BASE:
            if fault == "take_card":
                self.remove()
                card = None
            if card is None:
                reply = gat467.encode_response(gat467.SW_READ_FAILED)
            else:
                if self._read_delay:
                    time.sleep(self._read_delay)
                reply = gat467.encode_response(gat467.SW_OK, gat467.encode_read_data(*card))
        else:
            reply = gat467.encode_response(0x21)  # 命令无法识别 (GA/T 467 status for an unknown command)
        if fault == "bad_checksum":
            reply = reply[:-1] + bytes([reply[-1] ^ 0xFF])
        elif fault == "truncated":
            reply = reply[: len(reply) // 2]
        elif fault == "garbage":
            reply = bytes((i * 37 + 11) & 0xFF for i in range(len(reply)))
        self._send(reply)

    def _send(self, data: bytes) -> None:
        # Pace like a real line: 10 bits per byte at the configured baud rate.
        chunk = 256
        per_byte = 10.0 / self._baud
        for i in range(0, len(data), chunk):
            part = data[i : i + chunk]
            try:
                os.write(self._master, part)
            except OSError:
                return
            time.sleep(len(part) * per_byte)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.devices.simulator", description="GA/T 467 读卡器模拟器（伪终端）"
    )
    parser.add_argument(
        "--card", choices=[*SAMPLE_CARDS, "none"], default="resident", help="启动时放在读卡器上的证件"
    )
    parser.add_argument("--baud", type=int, default=115200, help="模拟的波特率（默认 115200）")
    parser.add_argument("--read-delay", type=float, default=0.0, help="模拟读卡芯片耗时（秒）")
    args = parser.parse_args(argv)
    sim = ReaderSimulator(baud=args.baud, read_delay=args.read_delay)
    if args.card != "none":
        sim.place(args.card)
    print(sim.port, flush=True)
    try:
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            verb, rest = words[0], words[1:]
            try:
                if verb == "place":
                    sim.place(rest[0] if rest else "resident")
                elif verb == "remove":
                    sim.remove()
                elif verb == "fault":
                    sim.inject(rest[0] if rest else "")
                elif verb == "unplug":
                    sim.unplug()
                elif verb in ("quit", "exit"):
                    break
                else:
                    print(f"未知命令：{verb}", file=sys.stderr, flush=True)
                    continue
            except (ValueError, KeyError, IndexError) as exc:
                print(f"命令有误：{exc}", file=sys.stderr, flush=True)
                continue
            print("ok", flush=True)
        else:
            # stdin closed (started in the background): keep answering until interrupted.
            sim._stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
