"""The hall's voice: "请 A012 号到 3 号窗口办理", one announcement at a time, queued, never cut off.

Bilingual halls (app.language): each call is joined from recorded clips (app.voice_clips, the manifest in
``resources/sounds/``) — the chime, then the call in each language in the configured order — and played from
memory. A language with a missing clip is left out of that call (Chinese is always said) and the missing clips
are logged once (系统管理 → 叫号语音 lists them for staff; the hall display does not). Chinese-only:
QtTextToSpeech where an engine with a Chinese voice exists, else the Chinese clips. With no audio output at all
the announcer says so once (``warning``) and stays quiet — the display still shows every call. 无声 mode speaks
nothing.

Every sound is played by a fresh QMediaPlayer (:func:`fresh_player` says why a player is never reused).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtTextToSpeech import QTextToSpeech

from app.language import languages_for
from app.settings import Settings
from app.voice_clips import CallPlan, ClipError, ClipLibrary, load_manifest, missing_message

log = logging.getLogger(__name__)

CN_DIGITS = "零一二三四五六七八九"
NO_DEVICE = "没有可用的音频输出设备，叫号语音已关闭（大厅屏照常显示叫号）"
NO_READER = "本机没有中文语音合成引擎，朗读已关闭（屏幕照常显示文字）"


def call_text(code: str, window: int) -> str:
    """What the display and the log say."""
    return f"请 {code} 号到 {window} 号窗口办理"


def speech_text(code: str, window: int) -> str:
    """For a TTS engine: ticket digits spelled out so A012 is not read as "A 十二"."""
    spelled = "".join(CN_DIGITS[int(c)] if c.isdigit() else f" {c} " for c in code)
    return f"请{spelled}号，到{window}号窗口办理"


class Speaker(QObject):
    """Says one call; emits ``done`` when it has finished (or ``failed`` with a reason), and ``incomplete`` with
    the languages short of clips (e.g. "mn") and a message naming the missing clips when a language had to be left
    out of the call or a word skipped (the call itself still goes ahead)."""

    done = Signal()
    failed = Signal(str)
    incomplete = Signal(str, str)

    def speak(self, code: str, window: int) -> None:
        raise NotImplementedError

    def can_read(self) -> bool:
        """Whether :meth:`speak_text` can say free text (a TTS engine can; recorded clips cannot)."""
        return False

    def speak_text(self, text: str) -> None:
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

    def can_read(self) -> bool:
        return True

    def speak_text(self, text: str) -> None:
        self._speaking = True
        self.tts.say(text)

    def _on_state(self, state: QTextToSpeech.State) -> None:
        if self._speaking and state == QTextToSpeech.State.Ready:
            self._speaking = False
            self.done.emit()

    def _fail(self, text: str) -> None:
        if self._speaking:
            self._speaking = False
            self.failed.emit(text or "语音引擎出错")


def fresh_player(parent: QObject) -> QMediaPlayer:
    """A QMediaPlayer with its own audio output, to play one sound and then be let go with :func:`retire`.

    A player that has played holds an FFmpeg engine whose audio thread, when the engine is torn down (``setSource``,
    ``stop``, the player's destructor), destroys objects connected to the player's and the output's PySide
    wrappers and so needs Python's GIL. Called from a Python slot, which holds the GIL, that teardown waits for
    the thread for ever: the hall display froze on the second call (seen in CI: ``setSourceDevice`` from the
    end-of-media slot, the audio thread waiting in ``PyGILState_Ensure``). So no player is ever given a second
    source or stopped from Python: each sound gets a fresh one, and the old one is deleted by Qt's event loop,
    which runs without the GIL."""
    player = QMediaPlayer(parent)
    player.setAudioOutput(QAudioOutput(player))
    return player


def retire(player: QMediaPlayer | None) -> None:
    """Let a player of :func:`fresh_player` go: silent at once (no late end-of-media reaches the next sound),
    deleted later by the event loop."""
    if player is not None:
        player.blockSignals(True)
        player.deleteLater()


class ClipSpeaker(Speaker):
    """Calls joined from the clips (app.voice_clips) in the languages of ``order``, played from memory through a
    fresh QMediaPlayer per call (:func:`fresh_player` says why); a guard timer ends a call the player never ends."""

    started = Signal()  # the player began to play the current call (``playing()`` holds it)

    def __init__(self, library: ClipLibrary, order: Sequence[str] = ("zh",), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.order = tuple(order)
        self.plan: CallPlan | None = None  # the call being played (its files, what was missing)
        self.player: QMediaPlayer | None = None
        self.guard = QTimer(self, singleShot=True)
        self.guard.timeout.connect(lambda: self._finish())
        self._wav = b""
        self._busy = False

    def playing(self) -> bytes:
        """The WAV handed to the player for the current (or last) call."""
        return self._wav

    def speak(self, code: str, window: int) -> None:
        self.plan = self.library.plan(code, window, self.order)
        if self.plan.missing:
            short = ",".join(dict.fromkeys(language for language, _ in self.plan.missing))
            self.incomplete.emit(short, missing_message(self.library.manifest, self.plan))
        try:
            data, ms = self.library.render(self.plan)
        except ClipError as exc:
            # Not from inside speak(): the announcer's reaction starts the next call, which must not nest.
            reason = exc.message
            QTimer.singleShot(0, self, lambda: self.failed.emit(reason))
            return
        retire(self.player)
        self._wav = data
        player = self.player = fresh_player(self)
        buffer = QBuffer(player)  # the player's child: it goes with the player
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        player.mediaStatusChanged.connect(self._on_status)
        player.errorOccurred.connect(lambda _e, text: self._finish(failed=text or "播放失败"))
        player.playbackStateChanged.connect(
            lambda state: self.started.emit() if state == QMediaPlayer.PlaybackState.PlayingState else None)
        self._busy = True
        player.setSourceDevice(buffer, QUrl("call.wav"))
        player.play()
        self.guard.start(ms + 3000)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self._finish(failed="语音片段无法播放" if status == QMediaPlayer.MediaStatus.InvalidMedia else "")

    def _finish(self, failed: str = "") -> None:
        if not self._busy:
            return
        self._busy = False
        self.guard.stop()
        retire(self.player)  # its engine goes now, from the event loop, not when the next call starts
        self.player = None
        # The announcer's reaction starts the next call: from the event loop, not from inside the player's signal.
        QTimer.singleShot(0, self, (lambda: self.failed.emit(failed)) if failed else self.done.emit)


def pick_speaker(engine: str | None = None, parent: QObject | None = None, *, order: Sequence[str] = ("zh",),
                 library: ClipLibrary | None = None) -> Speaker | None:
    """Chinese only: a TTS engine with a Chinese voice, else the clips. Bilingual: the clips, for both languages,
    since no engine speaks Mongolian and one call is one joined sound in the configured order. Neither without an
    audio output (None: the announcer warns once)."""
    if engine:
        return TtsSpeaker(engine, parent)
    if tuple(order) == ("zh",):
        for name in QTextToSpeech.availableEngines():
            if name != "mock" and TtsSpeaker.has_chinese(name):
                return TtsSpeaker(name, parent)
    if QMediaDevices.audioOutputs():
        return ClipSpeaker(library or ClipLibrary(load_manifest()), order, parent)
    return None


def announcer_for(settings: Settings, *, hall_bilingual: bool = True, parent: QObject | None = None) -> Announcer:
    """The hall display's announcer: 叫号方式 and 播报遍数 from ``[queue]``, the languages and their order from
    app.language, the clips from the install and this PC's data directory."""
    qs = settings.queue
    return Announcer(mode=qs.voice, repeat=qs.voice_repeat,
                     order=languages_for(settings, hall_bilingual=hall_bilingual).order,
                     library=ClipLibrary.for_data_dir(settings.data_dir), parent=parent)


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
                 auto: bool = True, order: Sequence[str] = ("zh",), library: ClipLibrary | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.repeat = max(1, repeat)
        self.order = tuple(order)  # the languages of a call (app.language.languages_for)
        self.speaker = speaker if speaker is not None or not auto else pick_speaker(
            parent=self, order=order, library=library)
        if self.speaker is not None:
            self.speaker.setParent(self)
            self.speaker.done.connect(self._on_done)
            self.speaker.failed.connect(self._on_failed)
            self.speaker.incomplete.connect(self._on_incomplete)
        # Missing-clip messages already logged (once each, not at every call).
        self._logged: set[str] = set()
        # A call (code, window), or a text to read aloud (str: 长辈模式 on the rating screen).
        self._queue: deque[tuple[str, int] | str] = deque()
        self._current: tuple[str, int] | str | None = None
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

    def read_aloud(self, text: str) -> bool:
        """Say ``text`` once, after any call being said (长辈模式: the kiosk's steps, the rating question).
        Nothing in 无声 mode; False (and ``warning`` once) when this PC has no engine that reads free text — the
        recorded clips only make calls."""
        if self.silent or not text:
            return False
        if self.speaker is None or not self.speaker.can_read():
            if not self._warned:
                self._warned = True
                log.warning(NO_READER)
                self.warning.emit(NO_READER)
            return False
        # A newer text replaces an older one, waiting or being read (the kiosk reads each step; only the latest
        # is worth hearing); a call is never cut off — the text waits behind it.
        self._queue = deque(item for item in self._queue if not isinstance(item, str))
        if isinstance(self._current, str):
            self._current, self._left = text, 0
            self.started.emit(text)
            self.speaker.speak_text(text)  # the engine drops what it was saying
            return True
        self._queue.append(text)
        if self._current is None:
            self._next()
        return True

    def _next(self) -> None:
        if not self._queue or self.speaker is None:
            self._current = None
            return
        self._current = self._queue.popleft()
        self._left = 1 if isinstance(self._current, str) else self.repeat  # a text is read once
        self.started.emit(_text_of(self._current))
        self._say()

    def _say(self) -> None:
        assert self._current is not None and self.speaker is not None
        self._left -= 1
        if isinstance(self._current, str):
            self.speaker.speak_text(self._current)
        else:
            self.speaker.speak(*self._current)

    def _on_done(self) -> None:
        if self._current is None:
            return
        if self._left > 0:
            self._say()
            return
        text = _text_of(self._current)
        self._current = None
        self.finished.emit(text)
        self._next()

    def _on_incomplete(self, _languages: str, text: str) -> None:
        # Logged once per message, not put on the hall display: it is for staff, and 系统管理 → 叫号语音 lists the
        # missing clips with what to do (ui/admin_voice.py). The call itself went ahead in the languages it has.
        if text not in self._logged:
            self._logged.add(text)
            log.warning(text)

    def _on_failed(self, reason: str) -> None:
        self.warning.emit(f"叫号语音出错：{reason}")
        if self._current is not None:
            text = _text_of(self._current)
            self._current = None
            self.finished.emit(text)
        self._next()


def _text_of(item: tuple[str, int] | str) -> str:
    """What ``started``/``finished`` carry: the call's text, or the text read aloud."""
    return item if isinstance(item, str) else call_text(*item)
