"""The hall voice: calls queue and are never cut off, repeat, 无声 mode, and no audio device → a warning; bilingual
calls from clips, Chinese and Mongolian in the configured order, Chinese alone when a Mongolian clip is missing.

The clip calls really play through QMediaPlayer (offscreen, with no audio device it still runs to the end of the
sound), from short test tones installed in a temp data dir.
"""

from __future__ import annotations

import dataclasses
import wave
from io import BytesIO
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import queue as q
from app.language import languages_for
from app.settings import load_settings
from app.store import Store
from app.voice_clips import ClipLibrary, load_manifest
from tests.app.queue_hall import HALL
from tests.ui.queue_ctx import hall_context
from tests.voice_tones import expected_call, install_tones
from ui.display import HallDisplay
from ui.voice import NO_DEVICE, Announcer, ClipSpeaker, TtsSpeaker, announcer_for, call_text

TONE_MS = 20


@pytest.fixture
def library(tmp_path: Path) -> ClipLibrary:
    """Nothing shipped; short gaps so a call lasts well under a second."""
    manifest = dataclasses.replace(load_manifest(), gap_ms=10, language_gap_ms=40)
    return ClipLibrary(manifest, recorded=tmp_path / "data" / "sounds", shipped=tmp_path / "nothing-shipped")


def played_frames(speaker: ClipSpeaker) -> bytes:
    with wave.open(BytesIO(speaker.playing())) as w:
        return w.readframes(w.getnframes())


def clip_announcer(library: ClipLibrary, order: tuple[str, ...], **kw: object) -> tuple[Announcer, ClipSpeaker,
                                                                                     list[tuple[str, str]]]:
    speaker = ClipSpeaker(library, order)
    announcer = Announcer(speaker=speaker, order=order, **kw)  # type: ignore[arg-type]
    log: list[tuple[str, str]] = []
    announcer.started.connect(lambda t: log.append(("start", t)))
    announcer.finished.connect(lambda t: log.append(("end", t)))
    return announcer, speaker, log


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


@pytest.mark.parametrize("order", [("zh", "mn"), ("mn", "zh")])
def test_bilingual_call_plays_each_language_in_order_one_call_at_a_time(qtbot: QtBot, library: ClipLibrary,
                                                                        order: tuple[str, str]) -> None:
    tones = {lang: install_tones(library, lang, ms=TONE_MS) for lang in ("common", "zh", "mn")}
    announcer, speaker, log = clip_announcer(library, order, repeat=2)
    played: list[bytes] = []
    speaker.started.connect(lambda: played.append(played_frames(speaker)))  # what the player plays, at each start
    announcer.announce("A012", 3)
    announcer.announce("B205", 12)
    assert announcer.busy and announcer.pending() == 1
    qtbot.waitUntil(lambda: len(log) == 4, timeout=20000)
    a, b = call_text("A012", 3), call_text("B205", 12)
    assert log == [("start", a), ("end", a), ("start", b), ("end", b)]
    # Two calls, each said twice, each to its end before the next: the chime, then one language, then the other.
    first, second = (expected_call(library.manifest, tones, code, window, order)
                     for code, window in (("A012", 3), ("B205", 12)))
    assert played == [first, first, second, second]
    assert announcer.pending() == 0 and not announcer.busy


def test_missing_mongolian_clip_calls_in_chinese_and_logs_it_without_a_display_warning(
        qtbot: QtBot, library: ClipLibrary, caplog: pytest.LogCaptureFixture) -> None:
    tones = {lang: install_tones(library, lang, ms=TONE_MS) for lang in ("common", "zh")}
    install_tones(library, "mn", [n for n in library.manifest.clips("mn") if n not in ("iregerei", "w4")],
                  ms=TONE_MS)
    announcer, speaker, log = clip_announcer(library, ("mn", "zh"), repeat=1)
    warnings: list[str] = []
    announcer.warning.connect(warnings.append)
    announcer.announce("A012", 3)
    announcer.announce("A013", 4)  # short of one more clip: logged again, with that clip named
    qtbot.waitUntil(lambda: len(log) == 4, timeout=20000)
    assert [kind for kind, _ in log] == ["start", "end", "start", "end"]  # both calls made, none dropped
    assert played_frames(speaker) == expected_call(library.manifest, tones, "A013", 4, ("zh",))
    assert speaker.plan is not None and speaker.plan.left_out == ("mn",)
    # Staff business, not the applicants': nothing for the hall display (系统管理 → 叫号语音 lists the gaps).
    assert warnings == []
    announcer.announce("A012", 3)  # the same gap again: not logged twice
    qtbot.waitUntil(lambda: len(log) == 6, timeout=20000)
    logged = [r.getMessage() for r in caplog.records if r.name == "ui.voice"]
    assert logged == ["叫号语音蒙古语缺少 1 个片段（iregerei），该语言本次未播报。请在 系统管理 → 叫号语音 录制或导入",
                      "叫号语音蒙古语缺少 2 个片段（w4、iregerei），该语言本次未播报。请在 系统管理 → 叫号语音 录制或导入"]


def test_no_clips_at_all_is_a_warning_and_the_next_call_still_comes(qtbot: QtBot, library: ClipLibrary) -> None:
    announcer, _speaker, log = clip_announcer(library, ("zh",), repeat=1)
    warnings: list[str] = []
    announcer.warning.connect(warnings.append)
    announcer.announce("A001", 1)
    announcer.announce("A002", 2)
    qtbot.waitUntil(lambda: len(log) == 4, timeout=5000)
    assert any("没有可用的叫号语音片段" in w for w in warnings)


def test_silent_mode_plays_no_clip(qtbot: QtBot, library: ClipLibrary) -> None:
    install_tones(library, "zh", ms=TONE_MS)
    announcer, speaker, log = clip_announcer(library, ("mn", "zh"), mode="silent")
    announcer.announce("A001", 1)
    qtbot.wait(100)
    assert log == [] and speaker.plan is None and speaker.playing() == b""


@pytest.mark.parametrize(("bilingual", "first", "order"), [
    ("off", "mn", ("zh",)), ("on", "mn", ("mn", "zh")), ("on", "zh", ("zh", "mn")), ("hall", "mn", ("mn", "zh"))])
def test_the_display_announcer_takes_its_languages_from_the_settings(qtbot: QtBot, tmp_path: Path, bilingual: str,
                                                                     first: str, order: tuple[str, ...]) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    settings.language.bilingual, settings.language.first = bilingual, first
    announcer = announcer_for(settings)
    assert announcer.order == order
    if isinstance(announcer.speaker, ClipSpeaker):  # a machine with sound
        assert announcer.speaker.order == order
        assert announcer.speaker.library.recorded == tmp_path / "data" / "sounds"
    elif announcer.speaker is None:  # CI: no audio output
        with qtbot.waitSignal(announcer.warning) as blocker:
            announcer.announce("A001", 1)
        assert blocker.args == [NO_DEVICE]
    assert announcer_for(settings, hall_bilingual=False).order == (order if bilingual != "hall" else ("zh",))


def test_a_call_at_a_window_is_heard_on_the_display_in_both_languages(qtbot: QtBot, sqlite_store: Store,
                                                                      library: ClipLibrary) -> None:
    tones = {lang: install_tones(library, lang, ms=TONE_MS) for lang in ("common", "zh", "mn")}
    ctx = hall_context(sqlite_store)
    ctx.settings.language.bilingual, ctx.settings.language.first = "on", "zh"
    order = languages_for(ctx.settings).order
    speaker = ClipSpeaker(library, order)
    announcer = Announcer(speaker=speaker, repeat=1, order=order)
    display = HallDisplay(ctx, announcer=announcer, interval_ms=200)
    qtbot.addWidget(display)
    ticket = q.issue_ticket(sqlite_store, hall_code=HALL, category="A", clock=ctx.clock)
    q.confirm_printed(sqlite_store, ticket.id, clock=ctx.clock)
    with qtbot.waitSignal(announcer.finished, timeout=20000) as done:
        q.call_next(sqlite_store, hall_code=HALL, window_number=2, request_id="r1", clock=ctx.clock)
    assert done.args == [call_text(ticket.code, 2)]
    assert played_frames(speaker) == expected_call(library.manifest, tones, ticket.code, 2, ("zh", "mn"))
