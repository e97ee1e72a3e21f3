"""The hall's voice: "请 A012 号到 3 号窗口办理", one announcement at a time, queued, never cut off.

Speaks through QtTextToSpeech where an engine with a Chinese voice exists; otherwise joins the shipped clips in
``resources/sounds/`` (see SOURCE.md) and plays them from memory. With no audio output at all the announcer
says so once (``warning``) and stays quiet — the display still shows every call. 无声 mode speaks nothing.
"""

from __future__ import annotations

import io
import logging
import wave
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtTextToSpeech import QTextToSpeech

from app.paths import resource

log = logging.getLogger(__name__)

SOUNDS = resource("sounds")
CN_DIGITS = "零一二三四五六七八九"
NO_DEVICE = "没有可用的音频输出设备，叫号语音已关闭（大厅屏照常显示叫号）"


def call_text(code: str, window: int) -> str:
    """What the display and the log say."""
    return f"请 {code} 号到 {window} 号窗口办理"


def numeral_clips(n: int) -> list[str]:
    """A window number as a spoken Chinese numeral (12 → 十二, 20 → 二十, 105 → 一百零五), as clip names."""
    if n <= 0 or n > 999:
        return [d for d in str(abs(n))]
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


def clip_names(code: str, window: int) -> list[str]:
    """The clips for one call: chime, 请, the ticket letter by letter and digit by digit, 号到, window, 号窗口办理."""
    ticket = [c if c.isdigit() else c.upper() for c in code if c.isalnum()]
    return ["chime", "qing", *ticket, "hao", "dao", *numeral_clips(window), "hao", "chuangkou", "banli"]


def speech_text(code: str, window: int) -> str:
    """For a TTS engine: ticket digits spelled out so A012 is not read as "A 十二"."""
    spelled = "".join(CN_DIGITS[int(c)] if c.isdigit() else f" {c} " for c in code)
    return f"请{spelled}号，到{window}号窗口办理"


@dataclass(frozen=True)
class Clip:
    params: tuple[int, int, int]  # channels, sample width, rate
    frames: bytes


def load_clips(directory: Path = SOUNDS) -> dict[str, Clip]:
    clips: dict[str, Clip] = {}
    for path in sorted(directory.glob("*.wav")):
        with wave.open(str(path)) as w:
            clips[path.stem] = Clip((w.getnchannels(), w.getsampwidth(), w.getframerate()),
                                    w.readframes(w.getnframes()))
    return clips


def join_clips(clips: dict[str, Clip], names: list[str], *, gap_ms: int = 60) -> tuple[bytes, int]:
    """One WAV (bytes) of the named clips with a short gap between words, and its length in ms.

    A name with no clip (e.g. a letter not shipped) is left out rather than failing the call.
    """
    parts = [clips[n] for n in names if n in clips]
    if not parts:
        raise ValueError("no clips")
    channels, width, rate = parts[0].params
    gap = b"\0" * (int(rate * gap_ms / 1000) * channels * width)
    frames = gap.join(p.frames for p in parts if p.params == parts[0].params)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return buf.getvalue(), int(len(frames) / (channels * width) / rate * 1000)


class Speaker(QObject):
    """Says one call; emits ``done`` when it has finished (or ``failed`` with a reason)."""

    done = Signal()
    failed = Signal(str)

    def speak(self, code: str, window: int) -> None:
        raise NotImplementedError


class TtsSpeaker(Speaker):
    """QtTextToSpeech. ``done`` follows the engine's return to Ready after speaking."""

    def __init__(self, engine: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tts = QTextToSpeech(engine, self)
        zh = [loc for loc in self.tts.availableLocales() if loc.name().startswith("zh")]
        if zh:
            self.tts.setLocale(zh[0])
        self._speaking = False
        self.tts.stateChanged.connect(self._on_state)
        self.tts.errorOccurred.connect(lambda _reason, text: self._fail(text))

    @staticmethod
    def has_chinese(engine: str) -> bool:
        tts = QTextToSpeech(engine)
        ok = tts.state() != QTextToSpeech.State.Error and any(
            loc.name().startswith("zh") for loc in tts.availableLocales())
        tts.deleteLater()
        return ok

    def speak(self, code: str, window: int) -> None:
        self._speaking = True
        self.tts.say(speech_text(code, window))

    def _on_state(self, state: QTextToSpeech.State) -> None:
        if self._speaking and state == QTextToSpeech.State.Ready:
            self._speaking = False
            self.done.emit()

    def _fail(self, text: str) -> None:
        if self._speaking:
            self._speaking = False
            self.failed.emit(text or "语音引擎出错")


class ClipSpeaker(Speaker):
    """Joined clips played from memory through QMediaPlayer; a guard timer ends a call the player never ends."""

    def __init__(self, clips: dict[str, Clip], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clips = clips
        self.output = QAudioOutput(self)
        self.player = QMediaPlayer(self)
        self.player.setAudioOutput(self.output)
        self.player.mediaStatusChanged.connect(self._on_status)
        self.player.errorOccurred.connect(lambda _e, text: self._finish(failed=text or "播放失败"))
        self.guard = QTimer(self, singleShot=True)
        self.guard.timeout.connect(lambda: self._finish())
        self._buffer: QBuffer | None = None
        self._busy = False

    def speak(self, code: str, window: int) -> None:
        data, ms = join_clips(self.clips, clip_names(code, window))
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._busy = True
        self.player.setSourceDevice(self._buffer, QUrl("call.wav"))
        self.player.play()
        self.guard.start(ms + 3000)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self._finish(failed="语音片段无法播放" if status == QMediaPlayer.MediaStatus.InvalidMedia else "")

    def _finish(self, failed: str = "") -> None:
        if not self._busy:
            return
        self._busy = False
        self.guard.stop()
        if failed:
            self.failed.emit(failed)
        else:
            self.done.emit()


def pick_speaker(engine: str | None = None, parent: QObject | None = None) -> Speaker | None:
    """A TTS engine with a Chinese voice, else the clips if there is an audio output, else None."""
    if engine:
        return TtsSpeaker(engine, parent)
    for name in QTextToSpeech.availableEngines():
        if name != "mock" and TtsSpeaker.has_chinese(name):
            return TtsSpeaker(name, parent)
    if QMediaDevices.audioOutputs():
        return ClipSpeaker(load_clips(), parent)
    return None


class Announcer(QObject):
    """Queues calls and says them one after another, each ``repeat`` times.

    Signals:
        started(str): a call began (its text).
        finished(str): a call (with its repeats) ended.
        warning(str): voice is unavailable or an engine failed; shown to staff, never blocks calling.
    """

    started = Signal(str)
    finished = Signal(str)
    warning = Signal(str)

    def __init__(self, *, mode: str = "voice", repeat: int = 2, speaker: Speaker | None = None,
                 auto: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.repeat = max(1, repeat)
        self.speaker = speaker if speaker is not None or not auto else pick_speaker(parent=self)
        if self.speaker is not None:
            self.speaker.setParent(self)
            self.speaker.done.connect(self._on_done)
            self.speaker.failed.connect(self._on_failed)
        self._queue: deque[tuple[str, int]] = deque()
        self._current: tuple[str, int] | None = None
        self._left = 0
        self._warned = False

    @property
    def silent(self) -> bool:
        return self.mode == "silent"

    def set_mode(self, mode: str) -> None:
        self.mode = mode

    @property
    def busy(self) -> bool:
        return self._current is not None

    def pending(self) -> int:
        return len(self._queue)

    def announce(self, code: str, window: int) -> None:
        if self.silent:
            return
        if self.speaker is None:
            if not self._warned:
                self._warned = True
                log.warning(NO_DEVICE)
                self.warning.emit(NO_DEVICE)
            return
        self._queue.append((code, window))
        if self._current is None:
            self._next()

    def _next(self) -> None:
        if not self._queue or self.speaker is None:
            self._current = None
            return
        self._current = self._queue.popleft()
        self._left = self.repeat
        self.started.emit(call_text(*self._current))
        self._say()

    def _say(self) -> None:
        assert self._current is not None and self.speaker is not None
        self._left -= 1
        self.speaker.speak(*self._current)

    def _on_done(self) -> None:
        if self._current is None:
            return
        if self._left > 0:
            self._say()
            return
        text = call_text(*self._current)
        self._current = None
        self.finished.emit(text)
        self._next()

    def _on_failed(self, reason: str) -> None:
        self.warning.emit(f"叫号语音出错：{reason}")
        if self._current is not None:
            text = call_text(*self._current)
            self._current = None
            self.finished.emit(text)
        self._next()
