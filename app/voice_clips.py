"""The hall call's recorded clips: the manifest (``resources/sounds/manifest.toml``), where each clip is found, which
are missing, the call's words per language, and reading, checking and joining the WAV files. No Qt here: the
player (ui/voice.py) and the admin screen (ui/admin_voice.py) use it, and it is tested without an audio device.

Two places hold clips: the shipped ones beside the manifest (read-only in an installed copy) and the hall's own,
recorded or imported on the admin screen, under ``<data_dir>/sounds/<language>/``. The hall's own win. No
Mongolian clip is shipped (there is no offline Mongolian voice to make them with): until a hall records them, a
bilingual call is said in Chinese only and the missing clips are named.
"""

from __future__ import annotations

import io
import logging
import os
import tomllib
import wave
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from app.errors import ValidationError
from app.paths import resource

log = logging.getLogger(__name__)

SOUNDS = resource("sounds")
MANIFEST = SOUNDS / "manifest.toml"
RATE, CHANNELS, WIDTH = 22050, 1, 2  # every clip: PCM 16-bit mono 22 050 Hz, so a call joins without resampling
FORMAT_TEXT = "PCM 16 位、单声道、22050 Hz 的 WAV"
MAX_SECONDS = 10.0  # one clip is one word or a short phrase
MIN_PEAK = 300  # of 32767: below this the file is silence (a recording with the microphone muted)
TICKET, WINDOW = "{ticket}", "{window}"

Status = Literal["recorded", "shipped", "fallback", "missing"]
STATUS_TEXT: dict[str, str] = {"recorded": "本厅录制", "shipped": "随软件提供", "fallback": "借用中文片段",
                               "missing": "缺少"}


class ClipError(ValidationError):
    """A clip file that cannot be used, or a malformed manifest; the message says what to do."""


@dataclass(frozen=True)
class ClipSpec:
    """One clip of the manifest. ``text`` is what is said (Mongolian in traditional script), ``latin`` its
    transliteration for the speaker who records it, ``meaning`` a Chinese gloss for the hall's staff."""

    language: str  # "common", "zh" or "mn"
    name: str
    file: str
    text: str
    latin: str = ""
    meaning: str = ""
    group: str = ""
    fallback: str = ""  # a language whose clip of the same name stands in until this one is recorded


@dataclass(frozen=True)
class LanguageClips:
    code: str
    label: str
    directory: str  # the shipped clips' folder, relative to the manifest
    call: tuple[str, ...]  # one call's words, with TICKET and WINDOW placeholders
    clips: Mapping[str, ClipSpec]


@dataclass(frozen=True)
class Manifest:
    common: Mapping[str, ClipSpec]
    languages: Mapping[str, LanguageClips]
    gap_ms: int = 60
    language_gap_ms: int = 500

    def clips(self, language: str) -> Mapping[str, ClipSpec]:
        return self.common if language == "common" else self.languages[language].clips

    def label(self, language: str) -> str:
        return "提示音" if language == "common" else self.languages[language].label


def load_manifest(path: Path = MANIFEST) -> Manifest:
    """Read and check the manifest: the shared format, every call word a clip, every fallback a clip."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ClipError(f"叫号语音清单 {path} 无法读取：{exc}") from exc
    fmt = (data.get("rate"), data.get("channels"), data.get("sample_width"))
    if fmt != (RATE, CHANNELS, WIDTH):
        raise ClipError(f"叫号语音清单 {path} 的格式应为 {RATE} Hz、{CHANNELS} 声道、{WIDTH * 8} 位，得到 {fmt}")

    def specs(language: str, table: Mapping[str, object]) -> dict[str, ClipSpec]:
        out: dict[str, ClipSpec] = {}
        for name, entry in table.items():
            if not isinstance(entry, dict) or not entry.get("file") or not entry.get("text"):
                raise ClipError(f"叫号语音清单 {path}：{language}.{name} 缺少 file 或 text")
            out[name] = ClipSpec(language, name, str(entry["file"]), str(entry["text"]), str(entry.get("latin", "")),
                                 str(entry.get("meaning", "")), str(entry.get("group", "")),
                                 str(entry.get("fallback", "")))
        return out

    common = specs("common", data.get("common", {}).get("clips", {}))
    languages: dict[str, LanguageClips] = {}
    for code in ("zh", "mn"):
        table = data.get(code)
        if not isinstance(table, dict):
            raise ClipError(f"叫号语音清单 {path} 缺少 [{code}]")
        clips = specs(code, table.get("clips", {}))
        call = tuple(str(w) for w in table.get("call", ()))
        unknown = [w for w in call if w not in (TICKET, WINDOW) and w not in clips]
        if TICKET not in call or WINDOW not in call or unknown:
            raise ClipError(f"叫号语音清单 {path}：[{code}] call 应含 {TICKET}、{WINDOW} 且每个词都有片段，"
                            f"未知的词：{unknown}")
        languages[code] = LanguageClips(code, str(table.get("label", code)), str(table.get("dir", ".")), call, clips)
    for lang in languages.values():
        for spec in lang.clips.values():
            if spec.fallback and spec.name not in languages.get(spec.fallback, lang).clips:
                raise ClipError(f"叫号语音清单 {path}：{lang.code}.{spec.name} 的 fallback {spec.fallback} 没有同名片段")
    return Manifest(common, languages, int(data.get("gap_ms", 60)), int(data.get("language_gap_ms", 500)))


# --- the words of one call -------------------------------------------------------------------------------------


def ticket_words(code: str) -> list[str]:
    """A012 → A 0 1 2: halls read a ticket letter by letter and digit by digit."""
    return [c if c.isdigit() else c.upper() for c in code if c.isalnum()]


def zh_window_words(n: int) -> list[str]:
    """A window number as a spoken Chinese numeral (12 → 十二, 20 → 二十, 105 → 一百零五), as clip names."""
    if n <= 0 or n > 999:
        return list(str(abs(n)))
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out: list[str] = []
    if hundreds:
        out += [str(hundreds), "hundred"]
        if rest and tens == 0:
            out.append("0")
    if tens:
        if tens > 1 or hundreds:
            out.append(str(tens))
        out.append("ten")
    if ones:
        out.append(str(ones))
    return out


def mn_window_words(n: int) -> list[str]:
    """A window number as Mongolian ordinal words: the last word takes the ordinal suffix (3 → γurbaduγar w3,
    20 → qoriduγar w20), the words before it their attributive form (12 → arban t10 + qoyaduγar w2; 105 →
    nigen h1 + jaγun + tabuduγar w5; 200 → qoyar h2 + jaγuduγar w100). Beyond 999: the digits, one by one."""
    if n <= 0 or n > 999:
        return list(str(abs(n)))
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out: list[str] = []
    if hundreds:
        out += [f"h{hundreds}", "hundred" if rest else "w100"]
    if tens:
        out.append(f"t{tens}0" if ones else f"w{tens}0")
    if ones:
        out.append(f"w{ones}")
    return out


WINDOW_WORDS = {"zh": zh_window_words, "mn": mn_window_words}


def call_words(manifest: Manifest, language: str, code: str, window: int) -> list[str]:
    """One call's clip names in one language, in that language's word order (the manifest's ``call``)."""
    words: list[str] = []
    for word in manifest.languages[language].call:
        if word == TICKET:
            words += ticket_words(code)
        elif word == WINDOW:
            words += WINDOW_WORDS[language](window)
        else:
            words.append(word)
    return words


# --- reading, checking and writing WAV files -------------------------------------------------------------------


def decode_wav(source: Path | bytes) -> bytes:
    """The file's sound as PCM 16-bit mono 22 050 Hz frames, converted when it is another PCM WAV (8/16/24/32-bit,
    stereo, another rate). Anything else (not a WAV, compressed or floating-point) is a ClipError that says so."""
    name = source.name if isinstance(source, Path) else "录音"
    try:
        with wave.open(str(source) if isinstance(source, Path) else io.BytesIO(source)) as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except wave.Error as exc:
        if "unknown format" in str(exc):
            raise ClipError(f"{name}：不是 PCM 编码的 WAV（可能是压缩或浮点格式），请导出为 {FORMAT_TEXT}") from exc
        raise ClipError(f"{name}：不是 WAV 文件，请导出为 {FORMAT_TEXT}") from exc
    except (EOFError, OSError) as exc:
        raise ClipError(f"{name}：文件不完整或无法读取，请重新导出为 {FORMAT_TEXT}") from exc
    if not 8000 <= rate <= 96000 or width not in (1, 2, 3, 4) or not 1 <= channels <= 8:
        raise ClipError(f"{name}：格式不支持（{rate} Hz、{channels} 声道、{width * 8} 位），请导出为 {FORMAT_TEXT}")
    if (channels, width, rate) == (CHANNELS, WIDTH, RATE):
        return raw
    return to_clip_format(raw, channels=channels, width=width, rate=rate)


def to_clip_format(raw: bytes, *, channels: int, width: int, rate: int, floating: bool = False) -> bytes:
    """Interleaved little-endian PCM of any width/channels/rate (or 32-bit float, as some microphones deliver)
    → 16-bit mono 22 050 Hz (channels averaged, linear resampling: enough for speech)."""
    import numpy as np  # here: a display imports this module and only clip conversion needs numpy

    usable = len(raw) - len(raw) % (width * channels)
    data = np.frombuffer(raw[:usable], dtype=np.uint8)
    if floating:
        samples = np.frombuffer(data.tobytes(), dtype="<f4").astype(np.float64) * 32767.0
    elif width == 1:  # 8-bit WAV is unsigned
        samples = (data.astype(np.float64) - 128.0) * 256.0
    elif width == 3:
        b = data.reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        samples = np.where(v >= 1 << 23, v - (1 << 24), v).astype(np.float64) / 256.0
    else:
        dtype = np.dtype("<i2") if width == 2 else np.dtype("<i4")
        samples = np.frombuffer(data.tobytes(), dtype=dtype).astype(np.float64)
        if width == 4:
            samples /= 65536.0
    mono = samples.reshape(-1, channels).mean(axis=1) if channels > 1 else samples
    if rate != RATE and len(mono):
        count = max(1, round(len(mono) * RATE / rate))
        mono = np.interp(np.arange(count) * (rate / RATE), np.arange(len(mono)), mono)
    return np.clip(np.round(mono), -32768, 32767).astype("<i2").tobytes()


def trim_silence(frames: bytes, *, threshold: int = 500, pad: int = 400) -> bytes:
    """16-bit mono frames without the quiet before the first and after the last loud sample (``pad`` samples of
    margin), so joined words follow each other at the set gap, not after a recording's dead air."""
    import numpy as np

    samples = np.frombuffer(frames, dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    if not len(loud):
        return frames
    return samples[max(0, loud[0] - pad): loud[-1] + pad].tobytes()


def check_clip(frames: bytes, name: str) -> None:
    """A clip worth keeping: some sound, not silence, not a whole speech."""
    import numpy as np

    samples = np.frombuffer(frames, dtype="<i2")
    if not len(samples):
        raise ClipError(f"{name}：没有声音（长度为 0），请重新录制或导出")
    seconds = len(samples) / RATE
    if seconds > MAX_SECONDS:
        raise ClipError(f"{name}：太长（{seconds:.1f} 秒）。一个片段只应是一个词，请剪到 {MAX_SECONDS:.0f} 秒以内")
    if int(np.abs(samples.astype(np.int32)).max()) < MIN_PEAK:
        raise ClipError(f"{name}：几乎听不到声音（音量太小或空白录音），请靠近麦克风重新录制")


def wav_bytes(frames: bytes) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(CHANNELS)
        w.setsampwidth(WIDTH)
        w.setframerate(RATE)
        w.writeframes(frames)
    return buf.getvalue()


def write_wav_atomically(path: Path, frames: bytes) -> None:
    """Written beside, fsynced, then renamed: a power cut leaves the old clip or the new one, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    with open(tmp, "wb") as f:
        f.write(wav_bytes(frames))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# --- where the clips are, and one call -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClipState:
    spec: ClipSpec
    status: Status
    path: Path | None


@dataclass(frozen=True)
class CallPart:
    language: str
    words: tuple[str, ...]
    files: tuple[Path, ...]


@dataclass(frozen=True)
class CallPlan:
    """What one call plays: the chime, then each language's words in order. ``missing`` names (language, clip)
    pairs that had no file; a language other than Chinese with a missing clip is ``left_out`` of the call."""

    chime: Path | None
    parts: tuple[CallPart, ...]
    missing: tuple[tuple[str, str], ...] = ()
    left_out: tuple[str, ...] = ()

    @property
    def files(self) -> list[Path]:
        return ([self.chime] if self.chime else []) + [f for part in self.parts for f in part.files]


@dataclass
class ClipLibrary:
    """The manifest's clips as found on this PC: the hall's own (``recorded/<language>/``) before the shipped ones.

    Looked up afresh for each call (a few ``stat`` calls), so a clip recorded on the admin screen is heard at the
    next call without restarting the display; the decoded sound is cached per file and modification time.
    """

    manifest: Manifest
    recorded: Path | None = None  # <data_dir>/sounds
    shipped: Path = SOUNDS
    _cache: dict[Path, tuple[tuple[int, int], bytes]] = field(default_factory=dict, repr=False)

    @classmethod
    def for_data_dir(cls, data_dir: Path, *, manifest: Manifest | None = None, shipped: Path = SOUNDS
                     ) -> ClipLibrary:
        return cls(manifest or load_manifest(), recorded_dir(data_dir), shipped)

    def recorded_path(self, language: str, name: str) -> Path:
        if self.recorded is None:
            raise ClipError("没有设置数据目录，无法保存录音")
        return self.recorded / language / self.manifest.clips(language)[name].file

    def _own(self, language: str, spec: ClipSpec) -> tuple[Status, Path] | None:
        if self.recorded is not None:
            mine = self.recorded / language / spec.file
            if mine.is_file():
                return "recorded", mine
        folder = "." if language == "common" else self.manifest.languages[language].directory
        shipped = self.shipped / folder / spec.file
        if shipped.is_file():
            return "shipped", shipped
        return None

    def state(self, language: str, name: str) -> ClipState:
        spec = self.manifest.clips(language).get(name)
        if spec is None:
            return ClipState(ClipSpec(language, name, f"{name}.wav", name), "missing", None)
        own = self._own(language, spec)
        if own is not None:
            return ClipState(spec, own[0], own[1])
        if spec.fallback:
            other = self._own(spec.fallback, self.manifest.clips(spec.fallback)[name])
            if other is not None:
                return ClipState(spec, "fallback", other[1])
        return ClipState(spec, "missing", None)

    def states(self, language: str) -> list[ClipState]:
        return [self.state(language, name) for name in self.manifest.clips(language)]

    def missing(self, language: str) -> list[ClipSpec]:
        return [s.spec for s in self.states(language) if s.status == "missing"]

    def plan(self, code: str, window: int, order: Sequence[str]) -> CallPlan:
        """The files of one call in the languages of ``order`` (from app.language.languages_for). Chinese is said
        with what it has (a letter with no clip is skipped, as before); another language is said only when all its
        clips are there, else it is left out and its missing clips are listed — the call is never dropped whole."""
        chime = self.state("common", "chime").path
        parts: list[CallPart] = []
        missing: list[tuple[str, str]] = []
        left_out: list[str] = []
        for language in order:
            words = call_words(self.manifest, language, code, window)
            found = [(w, self.state(language, w).path) for w in words]
            absent = [w for w, p in found if p is None]
            missing += [(language, w) for w in dict.fromkeys(absent)]
            if absent and language != "zh":
                left_out.append(language)
                continue
            present = [(w, p) for w, p in found if p is not None]
            if present:
                parts.append(CallPart(language, tuple(w for w, _ in present), tuple(p for _, p in present)))
        return CallPlan(chime, tuple(parts), tuple(missing), tuple(left_out))

    def frames(self, path: Path) -> bytes:
        """The clip's frames in the clip format (converted if someone copied in another PCM WAV by hand)."""
        st = path.stat()
        key = (st.st_mtime_ns, st.st_size)
        cached = self._cache.get(path)
        if cached is None or cached[0] != key:
            cached = (key, decode_wav(path))
            self._cache[path] = cached
        return cached[1]

    def render(self, plan: CallPlan) -> tuple[bytes, int]:
        """One WAV (bytes) of the call, and its length in ms: chime, the words of each language with a short gap,
        a longer pause between the languages. A file that cannot be read is skipped and logged."""
        gap = b"\0" * (RATE * self.manifest.gap_ms // 1000 * WIDTH)
        between = b"\0" * (RATE * self.manifest.language_gap_ms // 1000 * WIDTH)

        def read(path: Path) -> bytes | None:
            try:
                return self.frames(path)
            except (ClipError, OSError) as exc:
                log.warning("叫号语音片段 %s 无法读取，已跳过：%s", path, exc)
                return None

        spoken = [gap.join(w for w in (read(p) for p in part.files) if w is not None) for part in plan.parts]
        body = between.join(chunk for chunk in spoken if chunk)
        if not body:
            raise ClipError("没有可用的叫号语音片段：请在 系统管理 → 叫号语音 导入或录制")
        chime = read(plan.chime) if plan.chime else None
        frames = chime + gap + body if chime else body
        return wav_bytes(frames), int(len(frames) / WIDTH / RATE * 1000)

    def save(self, language: str, name: str, frames: bytes) -> Path:
        """Keep a recorded or imported clip (already in the clip format) as this hall's own."""
        check_clip(frames, self.manifest.clips(language)[name].file)
        path = self.recorded_path(language, name)
        write_wav_atomically(path, frames)
        self._cache.pop(path, None)
        log.info("叫号语音片段已保存：%s", path)
        return path

    def import_folder(self, folder: Path, language: str) -> ImportResult:
        """Import every WAV of ``folder`` named like a clip of ``language`` (and of ``folder/zh``, ``folder/mn``
        for those languages). Each file is checked and converted on its own: a bad one is refused with its reason
        and not copied, the others still come in."""
        jobs: list[tuple[str, Path]] = [(language, p) for p in sorted(folder.glob("*")) if p.is_file()]
        for code in self.manifest.languages:
            sub = folder / code
            if sub.is_dir():
                jobs += [(code, p) for p in sorted(sub.glob("*")) if p.is_file()]
        imported: list[tuple[str, str]] = []
        refused: list[tuple[str, str]] = []
        for code, path in jobs:
            if path.suffix.lower() != ".wav":
                continue
            by_file = {spec.file.lower(): spec for spec in self.manifest.clips(code).values()}
            spec = by_file.get(path.name.lower())
            if spec is None:
                refused.append((path.name, f"{path.name}：文件名不是{self.manifest.label(code)}清单里的片段名，"
                                           f"请按清单的文件名命名（如 {next(iter(by_file))}）"))
                continue
            try:
                frames = trim_silence(decode_wav(path))
                self.save(code, spec.name, frames)
            except ClipError as exc:
                refused.append((path.name, exc.message))
                continue
            imported.append((code, spec.name))
        if not jobs or not (imported or refused):
            refused.append((folder.name, f"{folder} 里没有 WAV 文件"))
        return ImportResult(tuple(imported), tuple(refused))


@dataclass(frozen=True)
class ImportResult:
    imported: tuple[tuple[str, str], ...]  # (language, clip name)
    refused: tuple[tuple[str, str], ...]  # (file name, the reason, in Chinese)

    @property
    def message(self) -> str:
        text = f"已导入 {len(self.imported)} 个片段"
        if self.refused:
            text += f"；{len(self.refused)} 个未导入：\n" + "\n".join(reason for _, reason in self.refused)
        return text


def recorded_dir(data_dir: Path) -> Path:
    """Where this PC keeps its own clips (the install folder may be read-only)."""
    return data_dir / "sounds"


def missing_message(manifest: Manifest, plan: CallPlan) -> str:
    """For the display's warning line and the log: which language lacks which clips, what the call did instead,
    and what to do. Empty when nothing is missing."""
    by_language: dict[str, list[str]] = {}
    for language, name in plan.missing:
        by_language.setdefault(language, []).append(name)
    parts = []
    for language, names in by_language.items():
        shown = "、".join(names[:6]) + ("等" if len(names) > 6 else "")
        done = "该语言本次未播报" if language in plan.left_out else "已略过这些词"
        parts.append(f"{manifest.label(language)}缺少 {len(names)} 个片段（{shown}），{done}")
    if not parts:
        return ""
    return "叫号语音" + "；".join(parts) + "。请在 系统管理 → 叫号语音 录制或导入"
