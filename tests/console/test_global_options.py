"""The global options (--db, --data-dir, --demo, --config, --json) work before the group and after the subcommand,
for every subcommand of every group."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import console

REPO = Path(__file__).resolve().parents[2]
GLOBALS = ["--db", "sqlite:///x.db", "--data-dir", "DATA", "--config", "zc.toml", "--demo", "--json"]
EXPECTED = {"db": "sqlite:///x.db", "data_dir": "DATA", "config": "zc.toml", "demo": True, "json": True}
COMMAND_GROUPS = sorted(g for g, (module, _help) in console.GROUPS.items() if module != "console.screens")


def subcommands(group: str) -> list[str]:
    parser = argparse.ArgumentParser()
    __import__(console.GROUPS[group][0], fromlist=["register"]).register(parser, group)
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(subs[0].choices) if subs else []


CASES = [(g, s) for g in COMMAND_GROUPS for s in subcommands(g)]


def parsed(argv: list[str], capsys: pytest.CaptureFixture[str]) -> argparse.Namespace | None:
    """The namespace ``python -m app ARGV`` runs with; None when argparse only misses the command's own arguments."""
    group, rest = console.split_group(argv)
    try:
        return console.parse(group, rest)[1]
    except SystemExit:
        err = capsys.readouterr().err
        assert "required" in err and "unrecognized" not in err and "invalid choice" not in err, err
        return None


@pytest.mark.parametrize(("group", "sub"), CASES, ids=[f"{g}-{s}" for g, s in CASES])
@pytest.mark.parametrize("where", ["before", "after", "split"])
def test_global_options_anywhere(group: str, sub: str, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = {
        "before": [*GLOBALS, group, sub],
        "after": [group, sub, *GLOBALS],
        "split": [*GLOBALS[:4], group, *GLOBALS[4:6], sub, *GLOBALS[6:]],
    }[where]
    args = parsed(argv, capsys)
    if args is not None:
        assert {k: getattr(args, k) for k in EXPECTED} == EXPECTED
        assert callable(args.handler)


def test_every_group_has_subcommands() -> None:
    assert all(subcommands(g) for g in COMMAND_GROUPS)


def test_equals_form_and_screen_values_do_not_hide_the_group(capsys: pytest.CaptureFixture[str]) -> None:
    args = parsed(["--db=sqlite:///y.db", "--window", "3", "kiosk", "--json"], capsys)
    assert args is not None and args.db == "sqlite:///y.db" and args.window == 3 and args.json
    assert args.handler.args == ("kiosk",)


@pytest.mark.parametrize("before", [True, False])
def test_db_upgrade_as_a_real_command(tmp_path: Path, before: bool) -> None:
    """The line that failed with ``invalid choice``: ``python -m app --db URL db upgrade``."""
    (tmp_path / "settings.toml").write_text("", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    argv = ["--db", url, "db", "upgrade", "--json"] if before else ["db", "upgrade", "--json", "--db", url]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZC_") or k.endswith("_KEY_FILE")}
    env |= {"ZC_CONFIG": str(tmp_path / "settings.toml"), "ZC_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-m", "app", *argv], cwd=REPO, capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["url"] == url
    assert (tmp_path / "hall.db").exists()


def test_subcommand_help_names_the_global_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        console.main(["queue", "call", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "--window" in out and "--db URL" in out and "--json" in out and "子命令之前或之后" in out
