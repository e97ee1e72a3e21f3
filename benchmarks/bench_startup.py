"""Start-up figures: importing the core without Qt, and a cold start of the clerk client to a shown window.

    .venv/bin/python benchmarks/bench_startup.py [--runs N]

Targets (issue 2): ``import app`` core ≤ 150 ms; cold start to a shown main window ≤ 1.5 s on 2 cores.
The GUI start runs under the offscreen platform (or the current DISPLAY) with ``--quit-after 0.001``, which quits
as soon as the first window has been shown.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    base = timed([sys.executable, "-c", "pass"], env)
    core = [timed([sys.executable, "-c", "import app, app.settings, app.errors, console"], env) for _ in range(args.runs)]
    print(f"interpreter alone:            {base * 1000:7.1f} ms")
    print(f"import app core (median):     {statistics.median(core) * 1000:7.1f} ms total, "
          f"{(statistics.median(core) - base) * 1000:6.1f} ms above the interpreter (target ≤ 150 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        env["ZC_DATA_DIR"] = tmp
        (Path(tmp) / "settings.toml").write_text("", encoding="utf-8")
        env["ZC_CONFIG"] = str(Path(tmp) / "settings.toml")
        # --quit-after counts from the moment the first screen (the login) is shown.
        cmd = [sys.executable, "-m", "app", "--demo", "--data-dir", tmp, "--quit-after", "0.001"]
        first = timed(cmd, env)  # creates and migrates the store, seeds the demo hall
        warm = [timed(cmd, env) for _ in range(args.runs)]
    print(f"first start (creates store):  {first * 1000:7.1f} ms")
    print(f"start to shown login (median):{statistics.median(warm) * 1000:7.1f} ms, "
          f"max {max(warm) * 1000:.1f} ms (target ≤ 1500 ms)")


if __name__ == "__main__":
    main()
