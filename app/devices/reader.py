"""The ID-card reader client over a serial port (GA/T 467) and a polling loop that reports each card once.

No Qt here: the UI runs :class:`CardPoller` (a plain thread) and hops its callbacks onto the GUI thread itself.
Readers that only come with a vendor SDK plug in as a :class:`CardSource`; the WLT photo is decoded only by a
licensed :class:`PhotoDecoder` handed in by the deployment, never guessed here.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol, runtime_checkable

from app.devices import gat467
from app.devices.gat467 import IdCard
from app.errors import DeviceError

# What a vanished port raises: pyserial's SerialException (an OSError), termios.error from a flush on POSIX,
# ValueError/TypeError on an fd pyserial already closed.
PORT_ERRORS: tuple[type[BaseException], ...] = (OSError, ValueError, TypeError)
if sys.platform != "win32":
    import termios

    PORT_ERRORS += (termios.error,)

log = logging.getLogger(__name__)

DEFAULT_BAUD = 115200
DEFAULT_TIMEOUT = 2.0

MSG_UNPLUGGED = "读卡器未连接"
MSG_SILENT = "读卡器无响应，请检查连接线和端口设置"
MSG_CARD_TAKEN = "读卡过程中证件被移开，请把证件放稳后重新读取"


class ReaderUnplugged(DeviceError):
    """The port is gone (unplugged, wrong name, no permission)."""


@runtime_checkable
class PhotoDecoder(Protocol):
    """Turns the card's 1024-byte WLT photo into an image (e.g. BMP/PNG bytes).

    Decoding WLT needs the licensed library that comes with certified readers (e.g. the vendor's
    ``libwlt``/``WltRS``); a deployment that has it wraps it in this protocol and passes it to the reader.
    """

    def decode(self, wlt: bytes) -> bytes: ...


@runtime_checkable
class CardSource(Protocol):
    """Anything that can be asked for the card on the reader: our serial client or a vendor SDK wrapper.

    ``find_card`` is a cheap presence check; ``read_card`` does the whole find → select → read and returns
    None when no card is there. Both raise DeviceError (ReaderUnplugged when the device is gone).
    """

    def find_card(self) -> bool: ...

    def read_card(self) -> IdCard | None: ...

    def close(self) -> None: ...


class SerialCardReader:
    """GA/T 467 over a pyserial port (``open_reader`` builds one from a port name or ``serial_for_url`` URL)."""

    def __init__(self, port: Any, *, today: Callable[[], date] | None, timeout: float = DEFAULT_TIMEOUT) -> None:
        """``today`` gives the hall's day to check each card's number against (None: numbers as read)."""
        self._port = port
        self._timeout = timeout
        self._today = today
        self._lock = threading.Lock()  # one command/answer exchange at a time
        # Short port reads; the frame deadline is kept here. (Setting pyserial's timeout reconfigures the port,
        # so it is set once, not per read.)
        if port.timeout is None or port.timeout > 0.1:
            port.timeout = 0.1

    def close(self) -> None:
        try:
            self._port.close()
        except OSError:
            pass

    def __enter__(self) -> SerialCardReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one exchange -----------------------------------------------------------------------------------

    def exchange(self, cmd: int, para: int, data: bytes = b"") -> gat467.Response:
        """Send one command and return the decoded answer (DeviceError on silence or a bad frame)."""
        frame = gat467.encode_command(cmd, para, data)
        with self._lock:
            try:
                self._port.reset_input_buffer()  # a late answer to an earlier, timed-out command is stale
                self._port.write(frame)
                self._port.flush()
                return gat467.decode_response(self._read_frame())
            except PORT_ERRORS as exc:
                raise ReaderUnplugged(MSG_UNPLUGGED) from exc

    def _read_exact(self, n: int, deadline: float, *, started: bool, junk: bool = False) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            if time.monotonic() >= deadline:
                if junk:
                    raise DeviceError("读卡器数据帧头错误")
                raise DeviceError("读卡器数据不完整" if started or buf else MSG_SILENT)
            chunk = self._port.read(n - len(buf))
            buf += chunk
        return bytes(buf)

    def _read_frame(self) -> bytes:
        deadline = time.monotonic() + self._timeout
        # Resynchronise on the preamble: a reader powering up may emit a stray byte or two first.
        window = bytearray()
        skipped = 0
        while bytes(window) != gat467.PREAMBLE:
            window += self._read_exact(1, deadline, started=bool(window), junk=skipped > 0 and not window)
            if not gat467.PREAMBLE.startswith(bytes(window)):
                # drop bytes until the window could still become a preamble
                while window and not gat467.PREAMBLE.startswith(bytes(window)):
                    window.pop(0)
                    skipped += 1
                if skipped > 64:
                    raise DeviceError("读卡器数据帧头错误")
        header = bytes(window) + self._read_exact(2, deadline, started=True)
        total = gat467.frame_length(header)
        return header + self._read_exact(total - len(header), deadline, started=True)

    # -- the card -------------------------------------------------------------------------------------

    def find_card(self) -> bool:
        resp = self.exchange(*gat467.CMD_FIND)
        if resp.sw3 == gat467.SW_FIND_OK:
            return True
        if resp.sw3 == gat467.SW_NO_CARD:
            return False
        raise DeviceError(f"读卡器寻卡返回未知状态 {resp.sw3:02X}")

    def read_card(self) -> IdCard | None:
        """寻卡 → 选卡 → 读基本信息. None when no card is on the reader."""
        if not self.find_card():
            return None
        return self.read_present_card()

    def read_present_card(self) -> IdCard:
        """选卡 → 读基本信息 for a card already found; a card moved away in between is a clear error."""
        resp = self.exchange(*gat467.CMD_SELECT)
        if resp.sw3 in (gat467.SW_SELECT_FAILED, gat467.SW_NO_CARD):
            raise DeviceError(MSG_CARD_TAKEN)
        if resp.sw3 != gat467.SW_OK:
            raise DeviceError(f"读卡器选卡返回未知状态 {resp.sw3:02X}")
        resp = self.exchange(*gat467.CMD_READ_BASE)
        if resp.sw3 in (gat467.SW_READ_FAILED, gat467.SW_NO_CARD, gat467.SW_SELECT_FAILED):
            raise DeviceError(MSG_CARD_TAKEN)
        if resp.sw3 != gat467.SW_OK:
            raise DeviceError(f"读卡器读卡返回未知状态 {resp.sw3:02X}")
        text, photo = gat467.split_read_data(resp.data)
        return gat467.decode_card(text, photo, today=self._today() if self._today is not None else None)


def open_reader(port: str, *, today: Callable[[], date] | None, baud: int = DEFAULT_BAUD,
                timeout: float = DEFAULT_TIMEOUT) -> SerialCardReader:
    """Open a serial reader: a device name (``/dev/ttyUSB0``, ``COM3``) or any pyserial URL."""
    import serial

    if not port:
        raise DeviceError("请指定读卡器端口", field="port")
    if baud <= 0:
        raise DeviceError(f"波特率无效：{baud}", field="baud")
    try:
        conn = serial.serial_for_url(port, baudrate=baud, timeout=0.1, write_timeout=timeout)
    except (OSError, ValueError) as exc:
        raise ReaderUnplugged(f"{MSG_UNPLUGGED}：无法打开端口 {port}") from exc
    return SerialCardReader(conn, today=today, timeout=timeout)


class CardPoller:
    """Polls a card source on a thread and calls ``on_card`` once per placement of a card.

    While a card stays on the reader only the cheap 寻卡 runs; the card is read again only after it was
    seen absent. Errors go to ``on_error`` once per distinct message (not every poll); when the reader is
    unplugged the poller closes it and tries ``open_source`` again every ``reconnect_interval`` seconds.
    Callbacks run on the poller thread: a Qt caller must hop them to the GUI thread.
    """

    def __init__(
        self,
        open_source: Callable[[], CardSource],
        *,
        on_card: Callable[[IdCard], None],
        on_error: Callable[[DeviceError], None] | None = None,
        on_removed: Callable[[], None] | None = None,
        interval: float = 0.3,
        reconnect_interval: float = 2.0,
    ) -> None:
        self._open_source = open_source
        self._on_card = on_card
        self._on_error = on_error
        self._on_removed = on_removed
        self._interval = interval
        self._reconnect_interval = reconnect_interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._source: CardSource | None = None
        self._present = False
        self._last_error: str | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="card-poller", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._source is not None:
            self._source.close()
            self._source = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _report(self, exc: DeviceError) -> None:
        if exc.message == self._last_error:
            return
        self._last_error = exc.message
        if self._on_error is not None:
            self._on_error(exc)

    def poll_once(self) -> None:
        """One poll step (public so a caller without threads, or a test, can drive it)."""
        if self._source is None:
            self._source = self._open_source()
        source = self._source
        if not source.find_card():
            if self._present and self._on_removed is not None:
                self._on_removed()
            self._present = False
            self._last_error = None
            return
        if self._present:
            return  # same card still lying there: do not read it again
        # A failed read leaves the card "absent", so the next poll tries again; _report() keeps the
        # clerk from seeing the same message on every poll.
        if isinstance(source, SerialCardReader):
            card = source.read_present_card()
        else:
            found = source.read_card()
            if found is None:
                return
            card = found
        self._present = True
        self._last_error = None
        self._on_card(card)

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self._interval
            try:
                self.poll_once()
            except ReaderUnplugged as exc:
                self._report(exc)
                if self._source is not None:
                    self._source.close()
                    self._source = None
                self._present = False
                wait = self._reconnect_interval
            except DeviceError as exc:
                self._report(exc)
            except Exception:  # a bug in a callback must not kill the reader silently
                log.exception("card poller step failed")
            self._stop.wait(wait)
