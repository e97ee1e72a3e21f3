"""An asyncio TCP fault proxy for weak-link tests (these machines have no netem).

Between a client and the hub it adds one-way latency with jitter, a token-bucket bandwidth cap per direction
(shared by all connections, like a real uplink), stalls, cuts after N bytes, TCP resets, black holes and
scheduled outages. It runs its own event loop in a thread so synchronous tests and scripts can drive it:

    proxy = FaultProxy(("127.0.0.1", hub_port), profile=PROFILES["gprs"]).start()
    ... client talks to proxy.port ...
    proxy.outage("blackhole", 30)      # or "refuse"; proxy.cut_after(10_000); proxy.reset_all()
    proxy.stop()
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import socket
import struct
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

PIECE = 4096  # forwarding granularity: cuts and stalls act within this many bytes


@dataclass(frozen=True)
class LinkProfile:
    name: str = "clear"
    rate_bps: float | None = None  # bits per second, each direction; None = unlimited
    latency: float = 0.0  # one-way seconds
    jitter: float = 0.0  # ± seconds, uniform


PROFILES: dict[str, LinkProfile] = {
    "clear": LinkProfile(),
    "gprs": LinkProfile("gprs", 40_000, 0.300, 0.050),  # P-A: ~40 kbit/s, RTT 600 ms
    "edge": LinkProfile("edge", 150_000, 0.250, 0.040),
    "rural3g": LinkProfile("rural3g", 250_000, 0.125, 0.030),  # P-C: 250 kbit/s, RTT 250 ms
    "vsat": LinkProfile("vsat", 128_000, 0.300, 0.010),  # P-D: 128 kbit/s, RTT 600 ms
    "weak4g": LinkProfile("weak4g", 1_000_000, 0.075, 0.025),
}


@dataclass
class ProxyStats:
    connections: int = 0
    bytes_up: int = 0  # client → target
    bytes_down: int = 0  # target → client
    resets: int = 0


class _Link:
    """One direction of the shared uplink: serialises transmissions at ``rate_bps``."""

    def __init__(self) -> None:
        self.next_free = 0.0

    async def transmit(self, nbytes: int, rate_bps: float | None) -> None:
        if not rate_bps:
            return
        now = time.monotonic()
        start = max(now, self.next_free)
        self.next_free = start + nbytes * 8 / rate_bps
        await asyncio.sleep(self.next_free - now)


@dataclass(eq=False)
class _Conn:
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


def _abort(writer: asyncio.StreamWriter | None) -> None:
    """Close with a TCP RST (SO_LINGER 0), as a dropped mobile link or a middlebox would."""
    if writer is None:
        return
    sock = writer.get_extra_info("socket")
    with contextlib.suppress(OSError, AttributeError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class FaultProxy:
    def __init__(self, target: tuple[str, int], *, listen: tuple[str, int] = ("127.0.0.1", 0),
                 profile: LinkProfile | None = None, seed: int | None = None) -> None:
        self.target = target
        self.listen = listen
        self.profile = profile or LinkProfile()
        self.stats = ProxyStats()
        self.port = 0
        self._rng = random.Random(seed)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._conns: set[_Conn] = set()
        self._mode = "up"  # up | blackhole | refuse
        self._up: asyncio.Event | None = None
        self._stall_until = 0.0
        self._cut_budget: int | None = None
        self._links = {"up": _Link(), "down": _Link()}
        self._timers: list[asyncio.TimerHandle] = []
        self._ready = threading.Event()

    # -- lifecycle (called from any thread) ---------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(target=self._run, name="faultproxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fault proxy did not start")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- faults (called from any thread) ------------------------------------------------------------------

    def set_profile(self, profile: LinkProfile) -> None:
        self.profile = profile

    def outage(self, mode: str = "blackhole", duration: float | None = None) -> None:
        """Take the link down now. ``blackhole``: data stops flowing silently (connections hang, new ones get
        no answer); ``refuse``: open connections are reset and new ones refused. ``duration`` None = until up()."""
        if mode not in ("blackhole", "refuse"):
            raise ValueError(f"unknown outage mode {mode!r}")
        self._call(self._set_mode, mode)
        if duration is not None:
            self._call(self._later, duration, self._set_mode, "up")

    def up(self) -> None:
        self._call(self._set_mode, "up")

    def schedule(self, events: Sequence[tuple[float, str, float]]) -> None:
        """Outages at offsets from now: ``[(start_seconds, mode, duration_seconds), ...]``."""
        for start, mode, duration in events:
            self._call(self._later, start, self.outage, mode, duration)

    def stall(self, seconds: float) -> None:
        """Hold all data (both directions) for ``seconds``; nothing is lost."""
        self._stall_until = max(self._stall_until, time.monotonic() + seconds)

    def cut_after(self, nbytes: int) -> None:
        """Reset every connection once ``nbytes`` more bytes have been forwarded (either direction)."""
        self._cut_budget = nbytes

    def reset_all(self) -> None:
        self._call(self._reset_all)

    @property
    def is_up(self) -> bool:
        return self._mode == "up"

    # -- inside the loop ----------------------------------------------------------------------------------

    def _call(self, fn: object, *args: object) -> None:
        assert self._loop is not None, "proxy not started"
        self._loop.call_soon_threadsafe(fn, *args)  # type: ignore[arg-type]

    def _later(self, delay: float, fn: object, *args: object) -> None:
        assert self._loop is not None
        self._timers.append(self._loop.call_later(delay, fn, *args))  # type: ignore[arg-type]

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._up = asyncio.Event()
        self._up.set()
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._accept, self.listen[0], self.listen[1]))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _shutdown(self) -> None:
        for timer in self._timers:
            timer.cancel()
        if self._server is not None:
            self._server.close()
        self._reset_all()
        # Let every connection's tasks finish cancelling before the loop stops, so none is "destroyed but pending".
        current = asyncio.current_task()
        pending = [task for task in asyncio.all_tasks() if task is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def _set_mode(self, mode: str) -> None:
        self._mode = mode
        assert self._up is not None
        if mode == "up":
            self._up.set()
        else:
            self._up.clear()
        if mode == "refuse":
            self._reset_all()

    def _reset_all(self) -> None:
        for conn in list(self._conns):
            self._kill(conn)

    def _kill(self, conn: _Conn) -> None:
        if conn not in self._conns:
            return
        self._conns.discard(conn)
        self.stats.resets += 1
        _abort(conn.client)
        _abort(conn.upstream)
        for task in conn.tasks:
            task.cancel()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.stats.connections += 1
        if self._mode == "refuse":
            _abort(writer)
            return
        conn = _Conn(client=writer)
        self._conns.add(conn)
        try:
            assert self._up is not None
            await self._up.wait()  # a black hole: the SYN "got through" but nothing answers
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except (OSError, asyncio.CancelledError):
            self._kill(conn)
            return
        conn.upstream = up_writer
        conn.tasks = [asyncio.current_task()]  # type: ignore[list-item]
        pipes = [asyncio.ensure_future(self._pipe(conn, reader, up_writer, "up")),
                 asyncio.ensure_future(self._pipe(conn, up_reader, writer, "down"))]
        conn.tasks.extend(pipes)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*pipes, return_exceptions=True)
        if conn in self._conns:
            self._conns.discard(conn)
            for w in (writer, up_writer):
                with contextlib.suppress(OSError, RuntimeError):
                    w.close()

    async def _pipe(self, conn: _Conn, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    direction: str) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue(maxsize=4)

        async def receive() -> None:
            last = 0.0
            while True:
                data = await reader.read(16384)
                prof = self.profile
                delay = max(0.0, prof.latency + self._rng.uniform(-prof.jitter, prof.jitter))
                last = max(last, time.monotonic() + delay)  # jitter never reorders a byte stream
                await queue.put((last, data))
                if not data:
                    return

        feeder = asyncio.ensure_future(receive())
        try:
            while True:
                deliver_at, data = await queue.get()
                wait = deliver_at - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    with contextlib.suppress(OSError, RuntimeError):
                        writer.write_eof()
                    return
                for i in range(0, len(data), PIECE):
                    piece = data[i : i + PIECE]
                    await self._gate()
                    await self._links[direction].transmit(len(piece), self.profile.rate_bps)
                    await self._gate()
                    if self._cut_budget is not None:
                        if len(piece) >= self._cut_budget:
                            piece = piece[: self._cut_budget]
                            self._cut_budget = None
                            writer.write(piece)
                            self._count(direction, len(piece))
                            self._reset_all()
                            return
                        self._cut_budget -= len(piece)
                    writer.write(piece)
                    self._count(direction, len(piece))
                    await writer.drain()
        except (OSError, ConnectionError):
            self._kill(conn)
        finally:
            feeder.cancel()

    async def _gate(self) -> None:
        assert self._up is not None
        while True:
            await self._up.wait()
            wait = self._stall_until - time.monotonic()
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    def _count(self, direction: str, n: int) -> None:
        if direction == "up":
            self.stats.bytes_up += n
        else:
            self.stats.bytes_down += n


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sync.faultproxy", description="弱网模拟代理（TCP）")
    parser.add_argument("--listen", type=int, default=8766, help="监听端口")
    parser.add_argument("--target", default="127.0.0.1:8765", help="目标 主机:端口")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="clear")
    parser.add_argument("--rate", type=float, help="带宽 kbit/s（覆盖线路类型）")
    parser.add_argument("--latency", type=float, help="单向时延 ms（覆盖线路类型）")
    args = parser.parse_args(argv)
    host, _, port = args.target.rpartition(":")
    profile = PROFILES[args.profile]
    if args.rate is not None:
        profile = replace(profile, rate_bps=args.rate * 1000)
    if args.latency is not None:
        profile = replace(profile, latency=args.latency / 1000)
    proxy = FaultProxy((host or "127.0.0.1", int(port)), listen=("127.0.0.1", args.listen), profile=profile).start()
    print(f"弱网代理 127.0.0.1:{proxy.port} → {args.target}（{profile.name}）")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        proxy.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
