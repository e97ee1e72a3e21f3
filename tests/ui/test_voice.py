"""The hall voice: calls queue and are never cut off, repeat, 无声 mode, and no audio device → a warning."""

from __future__ import annotations

import wave
from io import BytesIO

from pytestqt.qtbot import QtBot

from ui.voice import Announcer, TtsSpeaker, call_text, clip_names, join_clips, load_clips, numeral_clips


def test_call_is_joined_from_the_shipped_clips() -> None:
    clips = load_clips()
    names = clip_names("A012", 12)
    assert names == ["chime", "qing", "A", "0", "1", "2", "hao", "dao", "ten", "2", "hao", "chuangkou", "banli"]
    assert all(n in clips for n in names)
    data, ms = join_clips(clips, names)
    with wave.open(BytesIO(data)) as w:
        seconds = w.getnframes() / w.getframerate()
    assert 2.0 < seconds < 12.0 and abs(seconds * 1000 - ms) < 5
    assert [numeral_clips(n) for n in (3, 10, 20, 35, 100, 105, 110)] == [
        ["3"], ["ten"], ["2", "ten"], ["3", "ten", "5"], ["1", "hundred"], ["1", "hundred", "0", "5"],
        ["1", "hundred", "1", "ten"]]


def test_calls_queue_and_each_finishes_before_the_next_starts(qtbot: QtBot) -> None:
    # Qt's "mock" engine really speaks (on a timer, word by word) without an audio device.
    announcer = Announcer(repeat=2, speaker=TtsSpeaker("mock"))
    log: list[tuple[str, str]] = []
    announcer.started.connect(lambda t: log.append(("start", t)))
    announcer.finished.connect(lambda t: log.append(("end", t)))
    announcer.announce("A001", 1)
    announcer.announce("B002", 3)
    announcer.announce("C003", 5)
    assert announcer.busy and announcer.pending() == 2  # the first is speaking, two wait their turn
    qtbot.waitUntil(lambda: len(log) == 6, timeout=30000)
    a, b, c = call_text("A001", 1), call_text("B002", 3), call_text("C003", 5)
    assert log == [("start", a), ("end", a), ("start", b), ("end", b), ("start", c), ("end", c)]


def test_silent_mode_says_nothing(qtbot: QtBot) -> None:
    announcer = Announcer(mode="silent", speaker=TtsSpeaker("mock"))
    started: list[str] = []
    announcer.started.connect(started.append)
    announcer.announce("A001", 1)
    assert not announcer.busy and started == []


def test_no_audio_device_is_a_warning_not_a_hang(qtbot: QtBot) -> None:
    announcer = Announcer(speaker=None, auto=False)
    with qtbot.waitSignal(announcer.warning) as blocker:
        announcer.announce("A001", 1)
    assert "没有可用的音频输出设备" in blocker.args[0]
    announcer.announce("A002", 2)  # stays usable; the warning is not repeated for every call
    assert not announcer.busy and announcer.pending() == 0


def test_auto_pick_without_chinese_voice_or_device_falls_back_to_warning(qtbot: QtBot) -> None:
    from PySide6.QtMultimedia import QMediaDevices

    announcer = Announcer()
    if QMediaDevices.audioOutputs():
        assert announcer.speaker is not None  # a machine with sound: clips or TTS
    else:
        with qtbot.waitSignal(announcer.warning):
            announcer.announce("A001", 1)
