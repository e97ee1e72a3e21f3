"""Test clips made on the spot: a sine tone per clip (a distinct pitch each, so joined sounds can be told apart),
written as WAV with the ``wave`` module — or as a floating-point WAV by hand, which ``wave`` cannot write."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import numpy as np

from app.voice_clips import RATE, ClipLibrary, Manifest


def tone(freq: float, ms: int = 40, *, rate: int = RATE, amplitude: int = 8000) -> np.ndarray:
    n = int(rate * ms / 1000)
    return (amplitude * np.sin(2 * math.pi * freq * np.arange(n) / rate)).astype("<i2")


def write_wav(path: Path, samples: np.ndarray, *, rate: int = RATE, channels: int = 1, width: int = 2) -> Path:
    """``samples`` (16-bit mono) written in the given layout: duplicated across channels, rescaled to the width."""
    data = np.repeat(samples.astype(np.int32), channels)
    if width == 1:
        raw = ((data >> 8) + 128).astype(np.uint8).tobytes()
    elif width == 2:
        raw = data.astype("<i2").tobytes()
    else:
        raw = (data.astype("<i4") << 16).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(raw)
    return path


def write_float_wav(path: Path, samples: np.ndarray) -> Path:
    """WAVE_FORMAT_IEEE_FLOAT (3): what many editors export by default, and what the clips refuse."""
    data = (samples.astype(np.float32) / 32768.0).tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, RATE, RATE * 4, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def pitch(language: str, name: str) -> float:
    """A distinct, repeatable pitch per clip."""
    return 300.0 + (sum(ord(c) * (i + 1) for i, c in enumerate(f"{language}:{name}")) % 1500)


def tones_of(manifest: Manifest, language: str, *, ms: int = 40) -> dict[str, np.ndarray]:
    """The tone of each clip of a language, as install_tones writes them."""
    return {name: tone(pitch(language, name), ms) for name in manifest.clips(language)}


def install_tones(library: ClipLibrary, language: str, names: list[str] | None = None, *, ms: int = 40
                  ) -> dict[str, np.ndarray]:
    """Put a tone for each named clip (default: all of the language) in the library's recorded folder."""
    assert library.recorded is not None
    manifest: Manifest = library.manifest
    out: dict[str, np.ndarray] = {}
    for name in names if names is not None else list(manifest.clips(language)):
        samples = tone(pitch(language, name), ms)
        write_wav(library.recorded / language / manifest.clips(language)[name].file, samples)
        out[name] = samples
    return out


def expected_call(manifest: Manifest, tones: dict[str, dict[str, np.ndarray]], code: str, window: int,
                  order: tuple[str, ...]) -> bytes:
    """The frames a call should play, built from the tones themselves (not by the code under test): the chime,
    a word gap, then each language's words with word gaps, the languages apart by the language gap."""
    from app.voice_clips import call_words

    gap = np.zeros(RATE * manifest.gap_ms // 1000, dtype="<i2")
    between = np.zeros(RATE * manifest.language_gap_ms // 1000, dtype="<i2")
    pieces: list[np.ndarray] = [tones["common"]["chime"], gap]
    for i, language in enumerate(order):
        if i:
            pieces.append(between)
        for j, word in enumerate(call_words(manifest, language, code, window)):
            pieces += ([gap] if j else []) + [tones[language][word]]
    return np.concatenate(pieces).tobytes()
