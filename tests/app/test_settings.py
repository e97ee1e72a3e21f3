"""Settings: TOML file, environment overrides, command-line options, and clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import SettingsError
from app.settings import load_settings, save_settings

REPO = Path(__file__).resolve().parents[2]


def test_defaults_put_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    s = load_settings(None, environ={"ZC_DATA_DIR": str(tmp_path)})
    assert s.db_url == f"sqlite:///{(tmp_path / 'counter.db').as_posix()}"
    assert s.hall.window == 0


def test_file_then_env_then_options(tmp_path: Path) -> None:
    cfg = tmp_path / "settings.toml"
    cfg.write_text('[hall]\ncode = "150929"\nwindow = 3\n[queue]\nvoice = "silent"\n', encoding="utf-8")
    s = load_settings(cfg, environ={"ZC_HALL_WINDOW": "5"}, db_url="postgresql://u@h/db")
    assert (s.hall.code, s.hall.window, s.queue.voice) == ("150929", 5, "silent")
    assert s.db_url == "postgresql://u@h/db"


def test_demo_uses_its_own_data_dir(tmp_path: Path) -> None:
    s = load_settings(None, environ={"ZC_DATA_DIR": str(tmp_path)}, demo=True)
    assert s.demo is True
    s2 = load_settings(None, environ={}, demo=True)
    assert s2.data_dir.name == "demo"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[hall\ncode=1", "格式错误"),
        ("[hall]\nwindow = \"三\"\n", "hall.window 应为数字"),
        ("[hal]\ncode = \"1\"\n", "未知的设置分节 [hal]"),
        ("[hall]\ncolour = 1\n", "未知的设置项 hall.colour"),
        ("[counter]\nauto_print = \"maybe\"\n", "应为 true 或 false"),
    ],
)
def test_malformed_settings_name_the_problem(tmp_path: Path, text: str, needle: str) -> None:
    cfg = tmp_path / "settings.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=needle.replace("[", r"\[").replace("]", r"\]")):
        load_settings(cfg, environ={})


def test_bad_environment_value(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="环境变量 ZC_HALL_WINDOW"):
        load_settings(None, environ={"ZC_HALL_WINDOW": "x"})


def test_save_roundtrip(tmp_path: Path) -> None:
    s = load_settings(None, environ={"ZC_DATA_DIR": str(tmp_path)})
    s.hall.window = 7
    s.sync.hub_url = "https://hub.example/"
    path = save_settings(s, tmp_path / "out.toml")
    again = load_settings(path, environ={})
    assert again.hall.window == 7 and again.sync.hub_url == "https://hub.example/"


def test_cli_reports_malformed_settings_in_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "settings.toml"
    cfg.write_text("[hall]\nwindow = [1,2]\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "app", "db", "upgrade", "--config", str(cfg), "--data-dir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 1
    assert out.stderr.strip().count("\n") == 0 and "hall.window" in out.stderr


def test_gui_without_display_says_how(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "ZC_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "app"], cwd=REPO, capture_output=True, text=True, env=env, timeout=60)
    if sys.platform != "linux":
        pytest.skip("the no-display message is for Linux")
    assert out.returncode == 1
    assert "xvfb-run" in out.stderr and out.stderr.strip().count("\n") == 0


def test_env_overrides_names_what_the_environment_sets(tmp_path: Path) -> None:
    from app.settings import env_overrides

    environ = {"ZC_HALL_WINDOW": "4", "ZC_SYNC_INTERVAL_SECONDS": "60", "ZC_DATA_DIR": str(tmp_path),
               "ZC_CONFIG": str(tmp_path / "x.toml"), "ZC_NOSUCH": "1", "PATH": "/usr/bin"}
    assert env_overrides(environ) == {("hall", "window"): "ZC_HALL_WINDOW",
                                      ("sync", "interval_seconds"): "ZC_SYNC_INTERVAL_SECONDS",
                                      ("data_dir", ""): "ZC_DATA_DIR"}
    # exactly what load_settings applies: the overridden values win over the file, the others come from it
    cfg = tmp_path / "settings.toml"
    cfg.write_text("[hall]\nwindow = 2\ncode = \"150929\"\n[sync]\ninterval_seconds = 15\n", encoding="utf-8")
    s = load_settings(cfg, environ=environ)
    assert (s.hall.window, s.hall.code, s.sync.interval_seconds, s.data_dir) == (4, "150929", 60, tmp_path)
    assert env_overrides({}) == {}


def test_updating_the_file_writes_only_the_changed_keys(tmp_path: Path) -> None:
    """A run with --data-dir, --db and ZC_* values that saves one setting leaves those values out of the file."""
    from app.settings import update_settings_file

    path = tmp_path / "settings.toml"
    path.write_text('[queue]\nvoice = "silent"\n', encoding="utf-8")
    running = load_settings(path, environ={"ZC_SYNC_TOKEN": "secret-token"}, data_dir=tmp_path / "trial",
                            db_url="postgresql://hall-db/counter")
    assert running.store.url and running.sync.token == "secret-token"
    update_settings_file({("hall", "code"): "150929", ("hall", "name"): "四子王旗政务服务中心"}, running.source)
    text = path.read_text(encoding="utf-8")
    assert "hall-db" not in text and "secret-token" not in text and "trial" not in text
    saved = load_settings(path, environ={})
    assert saved.hall.code == "150929" and saved.queue.voice == "silent" and saved.store.url == ""
    with pytest.raises(SettingsError, match=r"queue\.voice_repeat"):
        update_settings_file({("queue", "voice_repeat"): "often"}, path)
    assert load_settings(path, environ={}).queue.voice_repeat == 2  # a bad value writes nothing


def test_languages_follow_the_hall_unless_the_pc_overrides_and_mongolian_comes_first(tmp_path: Path) -> None:
    from app.language import languages_for

    def order(text: str, hall: bool) -> tuple[str, ...]:
        cfg = tmp_path / "s.toml"
        cfg.write_text(text, encoding="utf-8")
        return languages_for(load_settings(path=cfg, environ={}), hall_bilingual=hall).order

    assert order("", True) == ("mn", "zh") and order("", False) == ("zh",)
    assert order('[language]\nbilingual = "off"\n', True) == ("zh",)
    assert order('[language]\nbilingual = "on"\nfirst = "zh"\n', False) == ("zh", "mn")
    with pytest.raises(SettingsError, match=r"language\.bilingual 应为 hall / on / off"):
        order('[language]\nbilingual = "yes"\n', True)
