"""Regenerate resources/sounds/: Mandarin clips from espeak-ng (voice ``cmn``) and a two-tone chime.

Run: .venv/bin/python scripts/make_voice_clips.py   (needs ``espeak-ng``: apt-get install -y espeak-ng)
"""

from __future__ import annotations

import array
import io
import math
import subprocess
import wave
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "resources" / "sounds"
RATE = 22050  # espeak-ng's native rate; every clip shares it so they join without resampling

# clip name → what espeak-ng says. Ticket digits are read one by one (A012 → A 零 一 二), as halls do.
WORDS: dict[str, str] = {
    **{str(d): w for d, w in enumerate("零一二三四五六七八九")},
    "ten": "十", "hundred": "百", "qing": "请", "hao": "号", "dao": "到", "chuangkou": "窗口", "banli": "办理",
}
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I/O: they read like 1/0 on a ticket


def espeak(text: str, voice: str = "cmn") -> bytes:
    return subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "--stdout", text],
                          check=True, capture_output=True).stdout


def trim(raw: bytes, threshold: int = 500, pad: int = 400) -> array.array:
    with wave.open(io.BytesIO(raw)) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        samples = array.array("h", w.readframes(w.getnframes()))
    loud = [i for i, s in enumerate(samples) if abs(s) > threshold]
    if not loud:
        return samples
    return samples[max(0, loud[0] - pad): loud[-1] + pad]


def write(name: str, samples: array.array) -> None:
    with wave.open(str(OUT / f"{name}.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())


def chime() -> array.array:
    out = array.array("h")
    for freq, secs in ((880.0, 0.28), (659.25, 0.42)):
        n = int(RATE * secs)
        for i in range(n):
            env = math.exp(-4.0 * i / n)
            out.append(int(9000 * env * math.sin(2 * math.pi * freq * i / RATE)))
    out.extend([0] * int(RATE * 0.15))
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in WORDS.items():
        write(name, trim(espeak(text)))
    for letter in LETTERS:
        # The English letter name, as Chinese halls say it (A 号 → "诶 号").
        write(letter, trim(espeak(letter, "en")))
    write("chime", chime())
    print(f"{len(list(OUT.glob('*.wav')))} clips in {OUT}")


if __name__ == "__main__":
    main()
