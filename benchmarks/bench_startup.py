"""Start-up figures, today's tree and the one before issue 21 side by side in one run: importing the core
without Qt, start to the login window shown, and start to the clerk's counter window with the login included.

    .venv/bin/python benchmarks/bench_startup.py [--runs 3] [--before REV]

Targets (issue 21): start to the login window ≤ 1.0 s; start to the counter window, login included, ≤ 1.5 s;
``import app`` core ≤ 150 ms above the interpreter (issue 2).

How: ``benchmarks/start_driver.py`` runs the real client (``console.main --demo``) in a child process and prints a
line when the login window is shown, types the demo clerk's password as a clerk would, and prints another when
the counter window is shown; this script records when each line arrives (from the moment it spawned the child),
so interpreter start, imports, the store, the login's password check and building the window are all counted,
and the process's teardown is not. ``--before`` (default: main before issue 21) is extracted with ``git archive``
into a temporary directory and run by the same interpreter and packages. Each tree starts once first (creating
its demo store and its cached bytecode, as on a clerk's PC after the first start); then the trees alternate,
``--runs`` times each, and min / median are printed. A last run under ``-X importtime`` lists the biggest imports
on the way to the counter window, and which of psycopg / numpy / requests were loaded by then. The load average
is printed before and after (the machine is shared: figures are noisy).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DRIVER = REPO / "benchmarks" / "start_driver.py"
sys.path.insert(0, str(REPO))

from benchmarks.before import BEFORE  # noqa: E402


def timed(cmd: list[str], env: dict[str, str], cwd: Path = REPO) -> float:
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    return elapsed


def start(tree: Path, data: Path, env: dict[str, str], *, importtime: bool = False) -> dict[str, object]:
    """One start of the client in ``tree``: seconds to the login and to the counter window, modules loaded."""
    cmd = [sys.executable, *(["-X", "importtime"] if importtime else []), str(DRIVER), str(data), "counter"]
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    marks: dict[str, object] = {}
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("mark "):
            marks[line.split()[1]] = time.perf_counter() - t0
        elif line.startswith("modules "):
            marks[f"modules@{len([k for k in marks if not k.startswith('modules')])}"] = line.split(" ", 1)[1].strip()
    _out, err = child.communicate(timeout=120)
    if "counter" not in marks:
        raise SystemExit(f"the client in {tree} did not reach the counter window:\n{err[-3000:]}")
    if importtime:
        marks["importtime"] = err
    return marks


def biggest_imports(stderr: str, n: int = 8) -> list[tuple[float, str]]:
    """Top-level imports (and their cumulative ms) from ``-X importtime`` output."""
    out = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line.split("|")
        if name.startswith(" ") and not name.startswith("  "):  # one space: imported at the top level
            out.append((int(cumulative) / 1000, name.strip()))
    return sorted(out, reverse=True)[:n]


def extract(rev: str, into: Path) -> Path:
    data = subprocess.run(["git", "archive", "--format=tar", rev], cwd=REPO, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", default=BEFORE, help="git revision to compare with ('' = today's tree only)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    base = timed([sys.executable, "-c", "pass"], env)
    core = [timed([sys.executable, "-c", "import app, app.settings, app.errors, console"], env)
            for _ in range(args.runs)]
    print(f"interpreter alone: {base * 1000:.1f} ms; import app core (median): "
          f"{(statistics.median(core) - base) * 1000:.1f} ms above the interpreter (target ≤ 150 ms)")
    tmp = Path(tempfile.mkdtemp(prefix="zc-bench-start-"))
    try:
        trees = {"after": REPO}
        if args.before:
            trees = {"before": extract(args.before, tmp / "before"), **trees}
        datas = {name: tmp / f"data-{name}" for name in trees}
        for name, tree in trees.items():
            datas[name].mkdir()
            (datas[name] / "settings.toml").write_text("", encoding="utf-8")
            run_env = {**env, "ZC_DATA_DIR": str(datas[name]), "ZC_CONFIG": str(datas[name] / "settings.toml")}
            start(tree, datas[name], run_env)  # creates the demo store and the tree's cached bytecode
        figures: dict[str, list[dict[str, object]]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():
                run_env = {**env, "ZC_DATA_DIR": str(datas[name]), "ZC_CONFIG": str(datas[name] / "settings.toml")}
                figures[name].append(start(tree, datas[name], run_env))
        for name, runs in figures.items():
            login = [float(r["login"]) for r in runs]  # type: ignore[arg-type]
            counter = [float(r["counter"]) for r in runs]  # type: ignore[arg-type]
            ok_login = "meets" if statistics.median(login) <= 1.0 else "MISSES"
            ok_counter = "meets" if statistics.median(counter) <= 1.5 else "MISSES"
            print(f"{name:<7} start to login shown: min {min(login):.2f} / median {statistics.median(login):.2f} s "
                  f"({ok_login} ≤ 1.0 s); to counter window, login included: min {min(counter):.2f} / median "
                  f"{statistics.median(counter):.2f} s ({ok_counter} ≤ 1.5 s)")
        for name, tree in trees.items():
            run_env = {**env, "ZC_DATA_DIR": str(datas[name]), "ZC_CONFIG": str(datas[name] / "settings.toml")}
            marks = start(tree, datas[name], run_env, importtime=True)
            top = ", ".join(f"{mod} {ms:.0f}" for ms, mod in biggest_imports(str(marks["importtime"])))
            print(f"{name:<7} -X importtime, biggest imports to the counter window (ms, cumulative): {top}")
            print(f"{name:<7} loaded at the login: [{marks.get('modules@1', '')}]; at the counter window: "
                  f"[{marks.get('modules@2', '')}] (of psycopg, numpy, requests)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average after:  {os.getloadavg()}")


if __name__ == "__main__":
    main()
