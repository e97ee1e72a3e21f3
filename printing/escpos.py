"""Thermal (ESC/POS) printers over USB, serial or the network, through python-escpos.

A printer is named by one settings string (``printing.thermal``):
``usb:0x0416:0x5011``, ``serial:/dev/ttyUSB0[:baud]`` (``serial:COM3:9600`` on Windows), ``tcp:192.0.2.10[:9100]``.
Every failure becomes a :class:`PrintError` a clerk can act on: no printer, offline, out of paper.
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass
from typing import Any, Literal

from app.errors import PrintError

RT_PAPER = b"\x10\x04\x04"  # DLE EOT 4: real-time paper-sensor status
PAPER_END = 0x60  # bits 5-6: paper end
PAPER_NEAR_END = 0x0C  # bits 2-3: paper near end

Kind = Literal["usb", "serial", "tcp"]


@dataclass(frozen=True)
class ThermalSpec:
    kind: Kind
    target: str  # host, device file or "vid:pid"
    port: int = 9100
    baudrate: int = 9600
    vendor: int = 0
    product: int = 0

    @property
    def label(self) -> str:
        if self.kind == "tcp":
            return f"网络打印机 {self.target}:{self.port}"
        if self.kind == "serial":
            return f"串口打印机 {self.target}"
        return f"USB 打印机 {self.vendor:04x}:{self.product:04x}"


def parse_spec(spec: str) -> ThermalSpec:
    """Parse a ``printing.thermal`` setting; a malformed one names the field and shows the forms accepted."""
    text = spec.strip()
    example = "格式：usb:0x0416:0x5011、serial:/dev/ttyUSB0:9600 或 tcp:192.168.1.50:9100"
    if not text:
        raise PrintError("未设置热敏打印机（设置项 printing.thermal）。" + example)
    kind, _, rest = text.partition(":")
    kind = kind.lower()
    try:
        if kind == "tcp":
            host, _, port = rest.rpartition(":") if rest.count(":") == 1 else (rest, "", "")
            host = host or rest
            if not host:
                raise ValueError
            return ThermalSpec("tcp", host, port=int(port) if port else 9100)
        if kind == "serial":
            device, _, baud = rest.rpartition(":") if rest.rsplit(":", 1)[-1].isdigit() else (rest, "", "")
            if not device:
                raise ValueError
            return ThermalSpec("serial", device, baudrate=int(baud) if baud else 9600)
        if kind == "usb":
            vid, _, pid = rest.partition(":")
            return ThermalSpec("usb", rest, vendor=int(vid, 16), product=int(pid, 16))
    except ValueError:
        pass
    raise PrintError(f"热敏打印机设置 printing.thermal 无法识别：{spec!r}。{example}", field="printing.thermal")


class ThermalPrinter:
    """One ESC/POS printer; ``send`` opens it, checks the paper where the link can answer, writes and closes."""

    def __init__(self, spec: ThermalSpec | str, *, timeout: float = 5.0, check_paper: bool = True) -> None:
        self.spec = parse_spec(spec) if isinstance(spec, str) else spec
        self.timeout = timeout
        self.check_paper = check_paper

    @property
    def name(self) -> str:
        return self.spec.label

    def _open(self) -> Any:
        from escpos import exceptions, printer

        spec = self.spec
        try:
            if spec.kind == "tcp":
                device = printer.Network(spec.target, port=spec.port, timeout=self.timeout)
            elif spec.kind == "serial":
                device = printer.Serial(spec.target, baudrate=spec.baudrate, timeout=self.timeout)
            else:
                device = printer.Usb(spec.vendor, spec.product, timeout=int(self.timeout * 1000))
            device.open()
        except exceptions.DeviceNotFoundError:
            raise PrintError(f"{spec.label} 未连接或未开机：请检查电源、连接线（网线）后重试") from None
        except exceptions.USBNotFoundError:
            raise PrintError(f"{spec.label} 未找到：请检查 USB 连接线和打印机电源") from None
        except Exception as exc:  # pyusb / pyserial raise their own types; all mean "cannot open"
            raise PrintError(f"{spec.label} 无法打开：{exc}") from exc
        return device

    def paper_status(self, device: Any) -> str:
        """``ok``, ``low``, ``out`` or ``unknown`` (printers that do not answer DLE EOT)."""
        try:
            device._raw(RT_PAPER)
            reply = self._read(device)
        except (OSError, TimeoutError):
            return "unknown"
        if not reply:
            return "unknown"
        status = reply[-1]
        if status & PAPER_END == PAPER_END:
            return "out"
        if status & PAPER_NEAR_END == PAPER_NEAR_END:
            return "low"
        return "ok"

    def _read(self, device: Any) -> bytes:
        if self.spec.kind == "tcp":
            sock: socket.socket = device.device
            sock.settimeout(min(self.timeout, 2.0))
            try:
                return sock.recv(16)
            except TimeoutError:
                return b""
        return bytes(device._read() or b"")

    def send(self, data: bytes) -> None:
        """Write a complete ESC/POS stream (e.g. from ``printing.ticket.ticket_escpos``)."""
        device = self._open()
        try:
            if self.check_paper and self.paper_status(device) == "out":
                raise PrintError(f"{self.spec.label} 缺纸：请装入热敏纸后重试")
            device._raw(data)
        except PrintError:
            raise
        except OSError as exc:
            raise PrintError(f"{self.spec.label} 连接中断，号票可能没有打出：{exc.strerror or exc}") from exc
        finally:
            with contextlib.suppress(Exception):
                device.close()
