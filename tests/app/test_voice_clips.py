"""The call's clip manifest and library: the words of a call per language, which clips are missing, the joined
sound of a bilingual call, and WAV files checked, converted or refused on import."""

from __future__ import annotations

import dataclasses
import wave
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest

from app.voice_clips import (
    RATE,
    SOUNDS,
    ClipError,
    ClipLibrary,
    call_words,
    decode_wav,
    load_manifest,
    missing_message,
    mn_window_words,
    zh_window_words,
)
from tests.voice_tones import expected_call, install_tones, tone, write_float_wav, write_wav

MANIFEST = load_manifest()


@pytest.fixture
def shipped(tmp_path: Path) -> ClipLibrary:
    """The real shipped clips, and this PC's own (recorded) folder in a temp data dir."""
    return ClipLibrary.for_data_dir(tmp_path / "data")


@pytest.fixture
def tones(tmp_path: Path) -> ClipLibrary:
    """No shipped clips at all: every clip a test tone in the recorded folder, so every frame is known."""
    manifest = dataclasses.replace(MANIFEST, gap_ms=10, language_gap_ms=50)
    return ClipLibrary(manifest, recorded=tmp_path / "data" / "sounds", shipped=tmp_path / "nothing-shipped")


def frames_of(wav_data: bytes) -> bytes:
    with wave.open(BytesIO(wav_data)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        return w.readframes(w.getnframes())


def test_manifest_lists_every_clip_of_a_call_in_both_languages() -> None:
    zh, mn = MANIFEST.languages["zh"], MANIFEST.languages["mn"]
    assert {"qing", "hao", "dao", "chuangkou", "banli", "ten", "hundred", "A", "Z"} <= set(zh.clips)
    assert {str(d) for d in range(10)} <= set(zh.clips) and {str(d) for d in range(10)} <= set(mn.clips)
    assert set(MANIFEST.common) == {"chime"}
    for spec in mn.clips.values():
        assert spec.latin and spec.meaning, spec.name  # the speaker reads the transliteration, staff the gloss
        if spec.group != "字母":
            assert any("\u1820" <= c <= "\u18af" for c in spec.text), f"{spec.name}: not in Mongolian script"
    # Window numbers have their own words in Mongolian (ordinals, attributive tens), not the ticket digits.
    assert {f"w{d}" for d in range(1, 10)} | {f"w{d}0" for d in range(1, 10)} | {f"t{d}0" for d in range(1, 10)} \
        <= set(mn.clips)
    for n in range(1, 1000):
        assert set(mn_window_words(n)) <= set(mn.clips), n
        assert set(zh_window_words(n)) <= set(zh.clips), n


def test_a_call_follows_each_languages_word_order() -> None:
    assert call_words(MANIFEST, "zh", "A012", 12) == [
        "qing", "A", "0", "1", "2", "hao", "dao", "ten", "2", "hao", "chuangkou", "banli"]
    # "A012 dugar-tai irgen, arban qoyaduγar čongqo-du iregerei": ticket first, verb last, the window an ordinal.
    assert call_words(MANIFEST, "mn", "A012", 12) == [
        "A", "0", "1", "2", "dugar_tai_irgen", "t10", "w2", "congqo_du", "iregerei"]
    assert [zh_window_words(n) for n in (3, 10, 20, 35, 100, 105, 110)] == [
        ["3"], ["ten"], ["2", "ten"], ["3", "ten", "5"], ["1", "hundred"], ["1", "hundred", "0", "5"],
        ["1", "hundred", "1", "ten"]]
    assert [mn_window_words(n) for n in (3, 10, 20, 35, 100, 105, 110, 200)] == [
        ["w3"], ["w10"], ["w20"], ["t30", "w5"], ["h1", "w100"], ["h1", "hundred", "w5"], ["h1", "hundred", "w10"],
        ["h2", "w100"]]


def test_shipped_state_chinese_present_mongolian_missing(shipped: ClipLibrary) -> None:
    assert shipped.missing("zh") == []
    assert all(s.status == "shipped" for s in shipped.states("zh"))
    states = {s.spec.name: s.status for s in shipped.states("mn")}
    assert {n for n, st in states.items() if st == "fallback"} == set(MANIFEST.languages["zh"].clips) & {
        chr(c) for c in range(ord("A"), ord("Z") + 1)}  # the letters stand in from the shared Chinese set
    assert len(shipped.missing("mn")) == len(MANIFEST.languages["mn"].clips) - 24 > 40
    assert not list((SOUNDS / "mn").glob("*.wav"))  # no Mongolian speech is shipped (no voice to make it)


def test_missing_mongolian_clip_leaves_a_chinese_call_and_names_what_is_missing(shipped: ClipLibrary) -> None:
    plan = shipped.plan("A012", 3, ("mn", "zh"))
    assert [p.language for p in plan.parts] == ["zh"] and plan.left_out == ("mn",)
    assert [f.name for f in plan.files] == ["chime.wav", "qing.wav", "A.wav", "0.wav", "1.wav", "2.wav", "hao.wav",
                                            "dao.wav", "3.wav", "hao.wav", "chuangkou.wav", "banli.wav"]
    assert ("mn", "dugar_tai_irgen") in plan.missing and ("mn", "w3") in plan.missing
    assert ("mn", "A") not in plan.missing  # the letter falls back to the shared clip
    text = missing_message(MANIFEST, plan)
    assert text.startswith("叫号语音蒙古语缺少") and "该语言本次未播报" in text and "系统管理 → 叫号语音" in text
    data, ms = shipped.render(plan)
    assert 2000 < ms < 12000 and abs(len(frames_of(data)) / 2 / RATE * 1000 - ms) < 2
    # Chinese only: no Mongolian asked, nothing reported missing.
    assert shipped.plan("A012", 3, ("zh",)).missing == ()


def test_a_ticket_letter_without_a_chinese_clip_is_skipped_not_the_call(shipped: ClipLibrary) -> None:
    plan = shipped.plan("I001", 1, ("zh",))  # I and O are not shipped (they read like 1 and 0)
    assert plan.missing == (("zh", "I"),) and [p.language for p in plan.parts] == ["zh"]
    assert "已略过这些词" in missing_message(MANIFEST, plan)


@pytest.mark.parametrize("order", [("zh", "mn"), ("mn", "zh")])
def test_bilingual_call_is_one_language_after_the_other_frame_for_frame(tones: ClipLibrary,
                                                                       order: tuple[str, str]) -> None:
    common = install_tones(tones, "common")
    zh = install_tones(tones, "zh")
    mn = install_tones(tones, "mn")
    plan = tones.plan("B205", 12, order)
    assert plan.missing == () and [p.language for p in plan.parts] == list(order)
    data, ms = tones.render(plan)
    expected = expected_call(tones.manifest, {"common": common, "zh": zh, "mn": mn}, "B205", 12, order)
    assert frames_of(data) == expected
    assert abs(len(expected) / 2 / RATE * 1000 - ms) < 2
    # The same as a list of files: chime, then the first language's, then the second's.
    assert [(f.parent.name, f.name) for f in plan.files] == [("common", "chime.wav")] + [
        (lang, tones.manifest.clips(lang)[w].file)
        for lang in order for w in call_words(tones.manifest, lang, "B205", 12)]


def test_a_recorded_clip_overrides_the_shipped_one(shipped: ClipLibrary) -> None:
    assert shipped.state("zh", "qing").status == "shipped"
    path = shipped.save("zh", "qing", tone(440, 300).tobytes())
    state = shipped.state("zh", "qing")
    assert state.status == "recorded" and state.path == path == shipped.recorded_path("zh", "qing")
    assert path.parent == shipped.recorded_path("zh", "hao").parent and path.parent.name == "zh"
    assert shipped.plan("A001", 1, ("zh",)).parts[0].files[0] == path
    assert not list(path.parent.glob(".*.part"))  # written beside and renamed
    # The letter recorded in Mongolian replaces the fallback.
    shipped.save("mn", "A", tone(500, 200).tobytes())
    assert shipped.state("mn", "A").status == "recorded"


def test_import_folder_converts_good_files_and_refuses_bad_ones_with_a_reason(shipped: ClipLibrary,
                                                                              tmp_path: Path) -> None:
    folder = tmp_path / "from-the-speaker"
    write_wav(folder / "iregerei.wav", tone(400, 500))  # the clip format itself
    write_wav(folder / "congqo_du.wav", tone(400, 500, rate=44100), rate=44100, channels=2)  # converted
    write_wav(folder / "w3.wav", tone(400, 500, rate=16000), rate=16000, width=1)  # 8-bit, converted
    write_float_wav(folder / "w4.wav", tone(400, 500))
    write_wav(folder / "w5.wav", np.zeros(RATE // 2, dtype="<i2"))  # silence
    write_wav(folder / "w6.wav", tone(400, 12000))  # a whole speech, not a word
    (folder / "w7.wav").write_text("not a sound", encoding="utf-8")
    write_wav(folder / "hello.wav", tone(400, 500))  # not a clip of the manifest
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    write_wav(folder / "zh" / "banli.wav", tone(600, 500))  # a subfolder per language
    before = len(shipped.missing("mn"))
    result = shipped.import_folder(folder, "mn")
    assert sorted(result.imported) == [("mn", "congqo_du"), ("mn", "iregerei"), ("mn", "w3"), ("zh", "banli")]
    reasons = dict(result.refused)
    assert "不是 PCM 编码的 WAV" in reasons["w4.wav"]
    assert "几乎听不到声音" in reasons["w5.wav"]
    assert "太长" in reasons["w6.wav"]
    assert "不是 WAV 文件" in reasons["w7.wav"]
    assert "不是蒙古语清单里的片段名" in reasons["hello.wav"]
    assert len(shipped.missing("mn")) == before - 3
    assert shipped.recorded is not None
    assert sorted(p.name for p in (shipped.recorded / "mn").iterdir()) == ["congqo_du.wav", "iregerei.wav", "w3.wav"]
    for name in ("congqo_du", "w3"):  # stored in the clip format, about as long as the tone (silence trimmed)
        with wave.open(str(shipped.recorded / "mn" / f"{name}.wav")) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
            assert abs(w.getnframes() / RATE - 0.5) < 0.05
    assert "已导入 4 个片段；5 个未导入" in result.message


def test_decode_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(ClipError, match="不是 WAV 文件"):
        decode_wav(b"RIFF....garbage")
    wav = write_wav(tmp_path / "x.wav", tone(440, 100, rate=48000), rate=48000, channels=2, width=4)
    out = np.frombuffer(decode_wav(wav), dtype="<i2")
    assert abs(len(out) - RATE // 10) <= 1 and 7000 < np.abs(out).max() <= 8000


def test_import_of_an_empty_folder_says_so(shipped: ClipLibrary, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = shipped.import_folder(tmp_path / "empty", "mn")
    assert result.imported == () and "没有 WAV 文件" in result.refused[0][1]
