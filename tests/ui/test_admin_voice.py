"""系统管理 → 叫号语音 with real widgets: the clips per language with present/missing, a folder of generated WAVs
imported (the missing list shrinks, a bad file is refused with its reason and not copied), a recording kept or
refused, and no microphone / no speaker said plainly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QAudioFormat
from pytestqt.qtbot import QtBot

from app.store import Store
from app.voice_clips import RATE, ClipLibrary
from tests.ui._counter_kit import demo_ctx
from tests.voice_tones import tone, write_float_wav, write_wav
from ui.admin import AdminDialog, open_admin
from ui.admin_voice import NO_MICROPHONE, NO_SPEAKER, ClipRecorder, VoiceClipsTab
from ui.context import AppContext


@pytest.fixture
def ctx(tmp_path: Path, store: Store) -> AppContext:
    return demo_ctx(tmp_path, store, login="admin")


@pytest.fixture
def tab(qtbot: QtBot, ctx: AppContext) -> VoiceClipsTab:
    """The tab as the admin dialog shows it, on a PC with neither microphone nor speaker (as CI is)."""
    dialog = open_admin(ctx)
    assert isinstance(dialog, AdminDialog)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentWidget(dialog.voice)
    voice = VoiceClipsTab(ctx, inputs=lambda: [], outputs=lambda: [])
    qtbot.addWidget(voice)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "叫号语音"
    assert dialog.voice.library.recorded == voice.library.recorded == ctx.settings.data_dir / "sounds"
    return voice


def column(tab: VoiceClipsTab, col: int) -> list[str]:
    return [tab.table.item(r, col).text() for r in range(tab.table.rowCount())]


def test_lists_every_clip_per_language_with_its_state(tab: VoiceClipsTab) -> None:
    assert tab.code == "mn"  # Mongolian first: that is where the hall has work to do
    manifest = tab.library.manifest
    assert column(tab, 0) == list(manifest.languages["mn"].clips)
    status = dict(zip(column(tab, 0), column(tab, 4), strict=True))
    assert status["iregerei"] == "缺少" and status["w3"] == "缺少" and status["A"] == "借用中文片段"
    latin = dict(zip(column(tab, 0), column(tab, 2), strict=True))
    assert latin["dugar_tai_irgen"] == "dugar-tai irgen"  # what the speaker reads aloud
    assert "缺少 51 个" in tab.summary.text() and "只用中文叫号" in tab.summary.text()
    # The missing-clip warning (not on the hall display): every language's gaps, whichever one the table shows.
    gaps = tab.gaps.text()
    assert not tab.gaps.isHidden() and tab.gaps.property("role") == "error"
    assert gaps.startswith("叫号语音片段不全：蒙古语缺少 51 个（") and "提示音" not in gaps
    assert "中文照常播报" in gaps and "按「录音」" in gaps and "「导入文件夹」" in gaps
    assert f"（{'、'.join(tab.missing_names()[:8])}等）" in gaps  # the first eight named, the rest in the list
    tab.missing_only.setChecked(True)
    assert set(column(tab, 4)) == {"缺少"} and tab.table.rowCount() == 51
    tab.select_language("zh")
    assert tab.table.rowCount() == 0 and "缺少 0 个" in tab.summary.text()
    assert tab.gaps.text() == gaps  # still the Mongolian gaps while the Chinese clips are shown
    tab.missing_only.setChecked(False)
    assert set(column(tab, 4)) == {"随软件提供"} and "qing" in column(tab, 0)


def test_import_a_folder_shrinks_the_missing_list_and_refuses_a_bad_file(qtbot: QtBot, tab: VoiceClipsTab,
                                                                         tmp_path: Path) -> None:
    folder = tmp_path / "recorded-by-the-hall"
    write_wav(folder / "iregerei.wav", tone(420, 600))
    write_wav(folder / "congqo_du.wav", tone(520, 600, rate=44100), rate=44100, channels=2)  # converted
    write_wav(folder / "w3.wav", tone(620, 600))
    write_float_wav(folder / "w4.wav", tone(720, 600))  # floating point: refused
    write_wav(folder / "w5.wav", np.zeros(RATE, dtype="<i2"))  # silence: refused
    tab.missing_only.setChecked(True)
    before = tab.missing_names()
    with qtbot.waitSignal(tab.changed) as changed:
        result = tab.import_folder(folder)
    assert sorted(result.imported) == [("mn", "congqo_du"), ("mn", "iregerei"), ("mn", "w3")]
    assert tab.missing_names() == [n for n in before if n not in ("congqo_du", "iregerei", "w3")]
    assert column(tab, 0) == tab.missing_names() and "w4" in column(tab, 0) and "w5" in column(tab, 0)
    text = tab.status.text()
    assert changed.args[0] == text and tab.status.property("role") == "error"
    assert "已导入 3 个片段；2 个未导入" in text
    assert "w4.wav：不是 PCM 编码的 WAV（可能是压缩或浮点格式），请导出为 PCM 16 位、单声道、22050 Hz 的 WAV" in text
    assert "w5.wav：几乎听不到声音" in text
    saved = tab.library.recorded / "mn"  # type: ignore[operator]
    assert sorted(p.name for p in saved.iterdir()) == ["congqo_du.wav", "iregerei.wav", "w3.wav"]
    tab.missing_only.setChecked(False)
    tab.select("w3")
    assert tab.table.item(tab.table.currentRow(), 4).text() == "本厅录制"
    assert tab.play_button.isEnabled()


def test_import_reaches_a_running_call(tab: VoiceClipsTab, tmp_path: Path) -> None:
    """The library the display uses sees the imported clips at its next call, without a restart."""
    display_side = ClipLibrary.for_data_dir(tab.library.recorded.parent)  # type: ignore[union-attr]
    assert display_side.plan("A001", 3, ("mn", "zh")).left_out == ("mn",)
    folder = tmp_path / "all-mongolian"
    for spec in tab.library.manifest.languages["mn"].clips.values():
        if spec.fallback != "zh":
            write_wav(folder / spec.file, tone(300 + len(spec.name) * 37, 300))
    result = tab.import_folder(folder)
    assert not result.refused and tab.missing_names() == []
    plan = display_side.plan("A001", 3, ("mn", "zh"))
    assert [p.language for p in plan.parts] == ["mn", "zh"] and plan.missing == ()
    assert "缺少 0 个" in tab.summary.text() and tab.status.property("role") == "hint"
    assert tab.gaps.isHidden() and tab.gaps.text() == ""  # nothing left to warn about


def test_no_microphone_and_no_speaker_are_said_in_chinese(qtbot: QtBot, tab: VoiceClipsTab) -> None:
    tab.select("iregerei")
    assert not tab.play_button.isEnabled()  # nothing to play yet
    qtbot.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    assert tab.status.text() == NO_MICROPHONE and tab.status.property("role") == "error"
    assert tab.recorder is None and tab.record_button.text() == "录音(&R)"
    tab.select("A")  # the shared letter clip: playable
    assert tab.play_button.isEnabled()
    qtbot.mouseClick(tab.play_button, Qt.MouseButton.LeftButton)
    assert tab.status.text() == NO_SPEAKER


def test_a_recording_is_kept_converted_or_refused_with_its_reason(qtbot: QtBot, tab: VoiceClipsTab) -> None:
    # What a microphone delivers at 48 kHz stereo 16-bit, with dead air before and after the word.
    fmt = QAudioFormat()
    fmt.setSampleRate(48000)
    fmt.setChannelCount(2)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    quiet = np.zeros(48000 // 2, dtype="<i2")
    word = np.concatenate([quiet, tone(440, 700, rate=48000), quiet])
    raw = np.repeat(word, 2).astype("<i2").tobytes()
    frames = ClipRecorder.frames(raw, fmt)
    assert 0.7 < len(frames) / 2 / RATE < 0.8  # converted to 22 050 Hz mono, the silence trimmed
    tab.select("iregerei")
    tab._recording = tab.selected()
    with qtbot.waitSignal(tab.changed):
        tab.keep_recording(frames)
    assert "iregerei" not in tab.missing_names() and tab.status.text() == "已保存「ᠢᠷᠡᠭᠡᠷᠡᠢ」的录音（iregerei.wav）"
    # A silent recording (the microphone muted) is not kept.
    tab.select("w3")
    tab._recording = tab.selected()
    tab.keep_recording(ClipRecorder.frames(np.zeros(48000, dtype="<i2").tobytes(), fmt))
    assert "w3" in tab.missing_names() and tab.status.property("role") == "error"
    assert tab.status.text() == "录音没有保存：w3.wav：几乎听不到声音（音量太小或空白录音），请靠近麦克风重新录制"
