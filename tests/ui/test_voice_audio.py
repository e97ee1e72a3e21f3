"""The call heard and the microphone recorded through a real audio server: a private PulseAudio with a null sink
(the hall's loudspeaker) and a virtual microphone fed from it. Each test runs Qt in a child process
(tests/ui/audio_child.py) pointed at that server; ``parec``/``paplay`` listen and speak on the other side.

Needs ``pulseaudio`` and ``pulseaudio-utils`` (bootstrap.py installs them for the tests); without them the tests
are skipped on a developer's PC and fail in CI. The server quits by itself 20 s after its last client, should a
test die before stopping it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.voice_clips import RATE, load_manifest
from tests.voice_tones import expected_call, tone, tones_of, write_wav

CHILD = Path(__file__).with_name("audio_child.py")


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[dict[str, str]]:
    if not (shutil.which("pulseaudio") and shutil.which("parec") and shutil.which("paplay")):
        if os.environ.get("CI"):
            pytest.fail("pulseaudio / pulseaudio-utils missing (bootstrap.py installs them)")
        pytest.skip("pulseaudio / pulseaudio-utils not installed")
    home = tmp_path / "pulse-home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_RUNTIME_DIR=str(home), PULSE_RUNTIME_PATH=str(home / "pulse"),
               QT_QPA_PLATFORM="offscreen")
    env.pop("PULSE_SERVER", None)
    log = open(home / "pulseaudio.log", "wb")
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=20", "--disallow-exit", "--use-pid-file=no",
         "-L", "module-native-protocol-unix",
         "-L", "module-null-sink sink_name=hall rate=22050 channels=1",
         "-L", "module-remap-source master=hall.monitor source_name=mic source_properties=device.description=mic",
         "-L", "module-always-sink"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode != 0:
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("PulseAudio did not start: " + (home / "pulseaudio.log").read_text(errors="replace"))
            time.sleep(0.2)
        subprocess.run(["pactl", "set-default-sink", "hall"], env=env, check=True)
        subprocess.run(["pactl", "set-default-source", "mic"], env=env, check=True)
        yield env
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def child(mode: str, folder: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(CHILD), mode, str(folder)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def result_of(proc: subprocess.Popen[str]) -> dict[str, object]:
    out, _ = proc.communicate(timeout=90)
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, out
    return dict(json.loads(lines[-1][7:]))


def best_match(heard: np.ndarray, sound: np.ndarray) -> float:
    """The normalised correlation of ``sound`` at the offset where it best matches ``heard`` (1.0: identical)."""
    h, s = heard.astype(np.float64), sound.astype(np.float64)
    n = len(h) + len(s)
    corr = np.fft.irfft(np.fft.rfft(h, n) * np.conj(np.fft.rfft(s, n)), n)[: len(h) - len(s) + 1]
    at = int(np.argmax(corr))
    window = h[at: at + len(s)]
    return float(corr[at] / (np.linalg.norm(window) * np.linalg.norm(s) + 1e-9))


def test_the_hall_hears_chinese_then_mongolian(pulse: dict[str, str], tmp_path: Path) -> None:
    heard_file = tmp_path / "heard.raw"
    with open(heard_file, "wb") as sink:
        listener = subprocess.Popen(["parec", "-d", "hall.monitor", "--raw", "--format=s16le", f"--rate={RATE}",
                                     "--channels=1"], env=pulse, stdout=sink)
        try:
            result = result_of(child("call", tmp_path, pulse))
        finally:
            listener.terminate()
            listener.wait(timeout=20)
    assert result["outputs"] and result["warnings"] == []
    heard = np.frombuffer(heard_file.read_bytes(), dtype="<i2")
    # What the test expects, built from the tones themselves, in both orders: only the configured one is heard.
    manifest = dataclasses.replace(load_manifest(), gap_ms=10, language_gap_ms=40)  # as the child's
    tones = {lang: tones_of(manifest, lang, ms=60) for lang in ("common", "zh", "mn")}
    right = np.frombuffer(expected_call(manifest, tones, "B205", 12, ("zh", "mn")), dtype="<i2")
    wrong = np.frombuffer(expected_call(manifest, tones, "B205", 12, ("mn", "zh")), dtype="<i2")
    with wave.open(str(tmp_path / "played.wav")) as w:
        assert w.readframes(w.getnframes()) == right.tobytes()  # what was handed to the player
    assert len(heard) > len(right), "the call was not heard at all"
    match, other = best_match(heard, right), best_match(heard, wrong)
    assert match > 0.9 and other < match - 0.2, (match, other)


def test_a_clip_is_recorded_from_the_microphone(pulse: dict[str, str], tmp_path: Path) -> None:
    word = tone(500, 800, amplitude=12000)
    write_wav(tmp_path / "word.wav", np.concatenate([np.zeros(RATE // 4, "<i2"), word, np.zeros(RATE // 4, "<i2")]))
    proc = child("record", tmp_path, pulse)
    deadline = time.monotonic() + 60
    while not (tmp_path / "ready").exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[0]
        time.sleep(0.1)
    time.sleep(0.3)
    subprocess.run(["paplay", "-d", "hall", str(tmp_path / "word.wav")], env=pulse, check=True, timeout=30)
    result = result_of(proc)
    assert result["inputs"] == ["mic"] and str(result["recording"]).startswith("正在录音：请读「ᠢᠷᠡᠭᠡᠷᠡᠢ」")
    assert result["status"] == "已保存「ᠢᠷᠡᠭᠡᠷᠡᠢ」的录音（iregerei.wav）"
    assert result["missing_after"] == int(result["missing_before"]) - 1  # type: ignore[call-overload]
    with wave.open(str(tmp_path / "data" / "sounds" / "mn" / "iregerei.wav")) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        kept = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    assert 0.75 < len(kept) / RATE < 1.0  # the word, its dead air trimmed
    spectrum = np.abs(np.fft.rfft(kept))
    assert abs(np.argmax(spectrum) * RATE / len(kept) - 500) < 15  # the tone itself, not noise
