#!/usr/bin/env python3
"""Set up everything and run the counter client or its test suite, on Debian/Ubuntu or Windows.

    python3 bootstrap.py run [--demo] [app options]   install, then open the clerk client
    python3 bootstrap.py test [pytest options]        install, then run the whole test suite

It creates ``.venv`` beside this file, installs the pinned packages (``pyproject.toml`` ranges, exact versions
from ``requirements.lock``) and, on Debian/Ubuntu when run as root, the system libraries Qt needs, a CJK font,
Xvfb, poppler-utils and the PostgreSQL server the tests start. Re-running skips what is already installed.
Uses only the standard library, so it runs on a fresh machine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".zc-installed"
# Both commands install the same set, so running one after the other installs nothing again.
EXTRAS = "test,lint"

# What Qt (offscreen and under Xvfb), the documents, the voice and the tests need on Debian/Ubuntu.
DEBIAN_RUN = [
    "python3-venv", "libegl1", "libgl1", "libfontconfig1", "libglib2.0-0", "libxkbcommon0", "libdbus-1-3",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0", "libxcb-xkb1", "libxkbcommon-x11-0",
    "libxcb-render-util0", "libxcb-image0", "libx11-xcb1", "libxcb-randr0", "xvfb", "xauth",
    "fonts-wqy-microhei", "libpulse0",
]
DEBIAN_TEST = ["poppler-utils", "postgresql", "espeak-ng", "pulseaudio", "pulseaudio-utils"]  # a private sound server for the voice tests


def say(text: str) -> None:
    print(f"[bootstrap] {text}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def debian_packages(names: list[str]) -> None:
    """Install missing Debian packages when we are root on a Debian-like system; otherwise explain."""
    if not sys.platform.startswith("linux") or not shutil.which("apt-get") or not shutil.which("dpkg-query"):
        return
    missing = []
    for name in names:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True)
        if "install ok installed" not in out.stdout:
            missing.append(name)
    if not missing:
        return
    if os.geteuid() != 0:
        say("缺少系统软件包（需要 root 安装）：sudo apt-get install -y " + " ".join(missing))
        return
    say("安装系统软件包：" + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)


def ensure_venv(extras: str) -> Path:
    python = venv_python()
    if not python.exists():
        say(f"创建虚拟环境 {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    lock = ROOT / "requirements.lock"
    digest = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (lock.read_bytes() if lock.exists() else b"") + extras.encode()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        return python
    say("安装 Python 依赖（首次需要几分钟）")
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    constraint = ["-c", str(lock)] if lock.exists() else []
    subprocess.run([*pip, "install", *constraint, "-e", f"{ROOT}[{extras}]"], check=True)
    STAMP.write_text(digest)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if sys.version_info < (3, 11):  # noqa: UP036 - bootstrap runs under whatever python3 the machine has
        say(f"需要 Python 3.11 或更新版本，当前为 {sys.version.split()[0]}")
        return 2
    if command == "run":
        debian_packages(DEBIAN_RUN)
        python = ensure_venv(EXTRAS)
        return subprocess.call([str(python), "-m", "app", *rest], cwd=ROOT)
    debian_packages(DEBIAN_RUN + DEBIAN_TEST)
    python = ensure_venv(EXTRAS)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    if rest:  # a developer's own selection: just pytest with it
        return subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT, env=env)
    return run_checks(python, env)


def run_checks(python: Path, env: dict[str, str]) -> int:
    """What CI runs: ruff, mypy, lint-imports (the layer contracts of pyproject.toml), the whole suite with the
    machine in UTC, then the date-sensitive tests again with the machine in the hall's zone, so machine time and hall time never agree by accident."""
    # Two to four test processes (pytest-xdist): most tests wait on subprocesses, disks and sockets, so even a
    # two-core machine runs the suite in about 60 % of the time of one process.
    workers = ["-n", str(max(2, min(4, os.cpu_count() or 2)))]
    steps = [
        ("ruff", [str(python), "-m", "ruff", "check", "."], env),
        ("mypy", [str(python), "-m", "mypy"], env),
        ("lint-imports", [str(python.with_name("lint-imports.exe" if os.name == "nt" else "lint-imports")),
                          "--no-cache"], env),
        ("pytest, machine zone UTC", [str(python), "-m", "pytest", *workers, "--durations=15"], dict(env, TZ="UTC")),
        ("pytest -m date_sensitive, machine zone Asia/Shanghai",
         [str(python), "-m", "pytest", *workers, "-m", "date_sensitive"], dict(env, TZ="Asia/Shanghai")),
    ]
    for title, cmd, step_env in steps:
        say(title)
        code = subprocess.call(cmd, cwd=ROOT, env=step_env)
        if code != 0:
            say(f"{title} 未通过（退出码 {code}）")
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
