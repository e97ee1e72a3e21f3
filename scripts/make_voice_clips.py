"""Regenerate the shipped Chinese clips in resources/sounds/: Mandarin words from espeak-ng (voice ``cmn``), the
letters in its English voice, and a two-tone chime — every Chinese clip of resources/sounds/manifest.toml.

No Mongolian clip is made: espeak-ng has no Mongolian voice (``espeak-ng --voices`` lists none) and a clip in
another language's voice would be wrong speech. Halls record them on the admin screen (docs/queue.md).

Run: .venv/bin/python scripts/make_voice_clips.py   (needs ``espeak-ng``: apt-get install -y espeak-ng)
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.voice_clips import RATE, SOUNDS, decode_wav, load_manifest, trim_silence, write_wav_atomically  # noqa: E402

# Ticket digits are read one by one (A012 → A 零 一 二), as halls do; the manifest's text is what is said.


def espeak(text: str, voice: str = "cmn") -> bytes:
    raw = subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "--stdout", text],
                         check=True, capture_output=True).stdout
    return trim_silence(decode_wav(raw))  # espeak-ng's native rate is the clips' rate: no resampling


def chime() -> bytes:
    import array

    out = array.array("h")
    for freq, secs in ((880.0, 0.28), (659.25, 0.42)):
        n = int(RATE * secs)
        for i in range(n):
            env = math.exp(-4.0 * i / n)
            out.append(int(9000 * env * math.sin(2 * math.pi * freq * i / RATE)))
    out.extend([0] * int(RATE * 0.15))
    return out.tobytes()


def main() -> None:
    manifest = load_manifest()
    for spec in manifest.languages["zh"].clips.values():
        if spec.group == "字母":
            # The English letter name, as Chinese halls say it (A 号 → "诶 号").
            frames = espeak(spec.name, "en")
        else:
            frames = espeak(spec.text)
        write_wav_atomically(SOUNDS / spec.file, frames)
    write_wav_atomically(SOUNDS / manifest.common["chime"].file, chime())
    print(f"{len(list(SOUNDS.glob('*.wav')))} clips in {SOUNDS}")


if __name__ == "__main__":
    main()
