"""系统管理 → 叫号语音: every clip of the call's manifest per language, present or missing; play one, record a
missing one with the microphone, or import a folder of WAV files.

Clips recorded or imported here are kept in this PC's data directory (``<data_dir>/sounds/<language>/``, never
the install folder) and take precedence over the shipped ones; the hall display uses them from its next call on.
The hall display plays the clips of the PC it runs on: record or import there (or copy that folder to it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import (
    QAudioDevice,
    QAudioFormat,
    QAudioSource,
    QMediaDevices,
    QMediaPlayer,
    QtAudio,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.voice_clips import (
    CHANNELS,
    MAX_SECONDS,
    RATE,
    STATUS_TEXT,
    ClipError,
    ClipLibrary,
    ClipState,
    ImportResult,
    to_clip_format,
    trim_silence,
)
from ui.admin_forms import named, tr
from ui.context import AppContext
from ui.voice import fresh_player, retire

HEADERS = ("片段", "读法", "拉丁转写", "意思", "状态", "文件")
NO_MICROPHONE = ("没有找到麦克风：请接上麦克风（或在系统的声音设置里启用它）后再按「录音」；"
                 "也可以用「导入文件夹」导入别处录好的 WAV 文件")
NO_SPEAKER = "没有可用的音频输出设备，无法试听：请接上音箱或耳机后再按「播放」"


def set_status(label: QLabel, text: str, *, error: bool = False) -> None:
    label.setProperty("role", "error" if error else "hint")
    label.style().unpolish(label)
    label.style().polish(label)
    label.setText(text)


class ClipRecorder(QObject):
    """The microphone into memory (QAudioSource, push mode into a QBuffer), as clip frames on ``stop``.

    Asks the device for the clip format itself, else for 16-bit at the device's own rate and channels, else takes
    its preferred format; whatever comes is converted. Stops by itself after MAX_SECONDS.

    Signals:
        finished(bytes): the recording, PCM 16-bit mono 22 050 Hz, silence at both ends trimmed.
        failed(str): the microphone could not be opened or stopped with an error.
    """

    finished = Signal(bytes)
    failed = Signal(str)

    def __init__(self, device: QAudioDevice, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.format = self.pick_format(device)
        self.source = QAudioSource(device, self.format, self)
        # Watched by polling: PySide cannot hand QAudioSource.stateChanged's QAudio::State to a Python slot.
        self.watch = QTimer(self, interval=200)
        self.watch.timeout.connect(self._check)
        self.limit = QTimer(self, singleShot=True, interval=int(MAX_SECONDS * 1000))
        self.limit.timeout.connect(self.stop)
        self.buffer = QBuffer(self)
        self._active = False

    @staticmethod
    def pick_format(device: QAudioDevice) -> QAudioFormat:
        wanted = QAudioFormat()
        wanted.setSampleRate(RATE)
        wanted.setChannelCount(CHANNELS)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if device.isFormatSupported(wanted):
            return wanted
        preferred = device.preferredFormat()
        wanted.setSampleRate(preferred.sampleRate())
        wanted.setChannelCount(preferred.channelCount())
        return wanted if device.isFormatSupported(wanted) else preferred

    @property
    def recording(self) -> bool:
        return self._active

    def start(self) -> None:
        # Push mode into our own buffer: no Qt-owned QIODevice for Python to hold past the source's stop().
        self.buffer.close()
        self.buffer.setData(QByteArray())
        self.buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.source.start(self.buffer)
        if self.source.error() not in (QtAudio.Error.NoError, QtAudio.Error.UnderrunError):
            self.buffer.close()
            self.failed.emit(tr("麦克风无法打开：请检查它是否被其他程序占用，或在系统设置里允许使用麦克风"))
            return
        self._active = True
        self.limit.start()
        self.watch.start()

    def stop(self) -> None:
        if not self._active:
            return
        self._active = False
        self.limit.stop()
        self.watch.stop()
        self.source.stop()
        raw = bytes(self.buffer.data().data())
        self.buffer.close()
        self.finished.emit(self.frames(raw, self.format))

    @staticmethod
    def frames(raw: bytes, fmt: QAudioFormat) -> bytes:
        """What the microphone gave, in the clip format, without the silence before and after the word."""
        floating = fmt.sampleFormat() == QAudioFormat.SampleFormat.Float
        converted = to_clip_format(raw, channels=fmt.channelCount(), width=fmt.bytesPerSample(),
                                   rate=fmt.sampleRate(), floating=floating)
        return trim_silence(converted)

    def _check(self) -> None:
        if self._active and self.source.error() not in (QtAudio.Error.NoError, QtAudio.Error.UnderrunError):
            self._active = False
            self.limit.stop()
            self.watch.stop()
            self.source.stop()
            self.buffer.close()
            self.failed.emit(tr("录音中断（麦克风出错：{0}），请检查麦克风后重试").format(self.source.error().name))


class VoiceClipsTab(QWidget):
    """The 叫号语音 tab.

    Signals:
        loaded(int): the table was (re)filled with this many rows.
        changed(str): clips were recorded or imported; the status line's message.
        played(object): a clip (its Path) started playing.
    """

    loaded = Signal(int)
    changed = Signal(str)
    played = Signal(object)

    def __init__(self, ctx: AppContext, *, library: ClipLibrary | None = None,
                 inputs: Callable[[], list[QAudioDevice]] = QMediaDevices.audioInputs,
                 outputs: Callable[[], list[QAudioDevice]] = QMediaDevices.audioOutputs) -> None:
        super().__init__()
        self.setObjectName("voiceClipsTab")
        self.library = library or ClipLibrary.for_data_dir(ctx.settings.data_dir)
        self._inputs, self._outputs = inputs, outputs
        self.rows: list[ClipState] = []
        self.recorder: ClipRecorder | None = None
        self._recording: ClipState | None = None
        self.player: QMediaPlayer | None = None
        self.last_import: ImportResult | None = None

        manifest = self.library.manifest
        self.language = named(QComboBox(), "voiceLanguageCombo")
        for code in ("mn", "zh"):
            self.language.addItem(manifest.label(code), code)
        self.language.addItem(tr("提示音（两种语言共用）"), "common")
        self.language.currentIndexChanged.connect(lambda _i: self.reload())
        self.missing_only = named(QCheckBox(tr("只看缺少的(&M)")), "voiceMissingOnlyCheck")
        self.missing_only.toggled.connect(lambda _on: self.reload())
        self.summary = named(QLabel(""), "voiceSummary")
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("语言：")))
        top.addWidget(self.language)
        top.addWidget(self.missing_only)
        top.addWidget(self.summary, 1)

        # What the hall's calls lack, every language at once (the table shows one): the staff-facing warning lives
        # here, not on the hall display the applicants read.
        self.gaps = named(QLabel(""), "voiceMissingWarning")
        self.gaps.setWordWrap(True)
        where = self.library.recorded
        self.hint = named(QLabel(tr(
            "录制或导入的片段保存在本机：{0}（覆盖随软件提供的片段）。大厅屏使用它所在电脑上的片段，"
            "请在那台电脑上录制或导入。蒙古语读法请按「拉丁转写」一栏朗读；蒙古语用词尚未经母语者审核。"
            "导入：文件夹里的 WAV 文件按「文件」一栏命名（也可放在 zh / mn 子文件夹里）。").format(where)), "voiceHint")
        self.hint.setWordWrap(True)

        self.table = named(QTableWidget(0, len(HEADERS)), "voiceClipTable")
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self.update_buttons)

        self.play_button = self._button("播放(&P)", "playClipButton", self.play)
        self.record_button = self._button("录音(&R)", "recordClipButton", self.toggle_record)
        self.import_button = self._button("导入文件夹(&I)…", "importClipsButton", self.choose_folder)
        self.status = named(QLabel(""), "voiceStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.play_button, self.record_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.gaps)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.reload()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = named(QPushButton(tr(text)), name)
        button.clicked.connect(slot)
        return button

    @property
    def code(self) -> str:
        return str(self.language.currentData())

    def select_language(self, code: str) -> None:
        self.language.setCurrentIndex(self.language.findData(code))

    # --- the list ----------------------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        code = self.code
        states = self.library.states(code)
        missing = sum(1 for s in states if s.status == "missing")
        fallback = sum(1 for s in states if s.status == "fallback")
        text = tr("{0}：共 {1} 个片段，缺少 {2} 个").format(self.library.manifest.label(code), len(states), missing)
        if fallback:
            text += tr("，{0} 个暂用中文片段").format(fallback)
        if missing and code != "zh" and code != "common":
            text += tr("（缺少时该语言不播报，只用中文叫号）")
        set_status(self.summary, text, error=bool(missing))
        gaps = self.gaps_text()
        set_status(self.gaps, gaps, error=True)
        self.gaps.setVisible(bool(gaps))
        self.rows = [s for s in states if not self.missing_only.isChecked() or s.status == "missing"]
        self.table.setRowCount(len(self.rows))
        for i, state in enumerate(self.rows):
            spec = state.spec
            cells = (spec.name, spec.text, spec.latin, spec.meaning, tr(STATUS_TEXT[state.status]), spec.file)
            for j, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(str(state.path) if j == 5 and state.path else value)
                self.table.setItem(i, j, item)
            if spec.name == select:
                self.table.selectRow(i)
        self.update_buttons()
        self.loaded.emit(len(self.rows))

    def gaps_text(self) -> str:
        """Which clips each language still lacks, what a call does without them and what to do; empty when none."""
        parts = []
        for code in ("common", *self.library.manifest.languages):
            names = [spec.name for spec in self.library.missing(code)]
            if names:
                shown = "、".join(names[:8]) + (tr("等") if len(names) > 8 else "")
                parts.append(tr("{0}缺少 {1} 个（{2}）").format(self.library.manifest.label(code), len(names), shown))
        if not parts:
            return ""
        return tr("叫号语音片段不全：{0}。缺少片段的语言叫号时不播报（中文照常播报）。请选中缺少的片段按「录音」，"
                  "或用「导入文件夹」导入录好的 WAV 文件；勾选「只看缺少的」可列出全部。").format("；".join(parts))

    def missing_names(self) -> list[str]:
        return [s.spec.name for s in self.library.states(self.code) if s.status == "missing"]

    def selected(self) -> ClipState | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def select(self, name: str) -> None:
        for i, state in enumerate(self.rows):
            if state.spec.name == name:
                self.table.selectRow(i)
                return
        raise KeyError(name)

    def update_buttons(self) -> None:
        state = self.selected()
        recording = self.recorder is not None and self.recorder.recording
        self.play_button.setEnabled(state is not None and state.path is not None and not recording)
        self.record_button.setEnabled(recording or state is not None)
        self.record_button.setText(tr("停止录音(&S)") if recording else tr("录音(&R)"))
        self.import_button.setEnabled(not recording)
        self.language.setEnabled(not recording)

    # --- play ----------------------------------------------------------------------------------------------------

    def play(self) -> None:
        state = self.selected()
        if state is None or state.path is None:
            return
        if not self._outputs():
            set_status(self.status, tr(NO_SPEAKER), error=True)
            return
        retire(self.player)  # a fresh player per clip: ui.voice.fresh_player says why
        self.player = fresh_player(self)
        self.player.errorOccurred.connect(
            lambda _e, text: set_status(self.status, tr("无法播放：{0}").format(text), error=True))
        self.player.setSource(QUrl.fromLocalFile(str(state.path)))
        self.player.play()
        set_status(self.status, tr("正在播放 {0}").format(state.spec.file))
        self.played.emit(state.path)

    # --- record --------------------------------------------------------------------------------------------------

    def toggle_record(self) -> None:
        if self.recorder is not None and self.recorder.recording:
            self.recorder.stop()
            return
        state = self.selected()
        if state is None:
            return
        devices = self._inputs()
        if not devices:
            set_status(self.status, tr(NO_MICROPHONE), error=True)
            return
        default = QMediaDevices.defaultAudioInput()
        device = default if not default.isNull() and default in devices else devices[0]
        if self.recorder is not None:
            self.recorder.deleteLater()
        self.recorder = ClipRecorder(device, self)
        self.recorder.finished.connect(self.keep_recording)
        self.recorder.failed.connect(self._record_failed)
        self._recording = state
        self.recorder.start()
        if self.recorder.recording:
            set_status(self.status, tr("正在录音：请读「{0}」{1}，读完按「停止录音」（最长 {2:.0f} 秒）").format(
                state.spec.text, f"（{state.spec.latin}）" if state.spec.latin else "", MAX_SECONDS))
        self.update_buttons()

    def keep_recording(self, frames: bytes) -> None:
        """The recorder's result (clip frames): kept as this PC's clip, or refused with the reason."""
        state, self._recording = self._recording, None
        self.update_buttons()
        if state is None:
            return
        try:
            self.library.save(state.spec.language, state.spec.name, frames)
        except ClipError as exc:
            set_status(self.status, tr("录音没有保存：{0}").format(exc.message), error=True)
            return
        message = tr("已保存「{0}」的录音（{1}）").format(state.spec.text, state.spec.file)
        self.reload(select=state.spec.name)
        set_status(self.status, message)
        self.changed.emit(message)

    def _record_failed(self, text: str) -> None:
        self._recording = None
        set_status(self.status, text, error=True)
        self.update_buttons()

    # --- import --------------------------------------------------------------------------------------------------

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("选择放有 WAV 片段的文件夹"))
        if folder:
            self.import_folder(Path(folder))

    def import_folder(self, folder: Path) -> ImportResult:
        """Import ``folder`` into the language shown (and its zh / mn subfolders into those)."""
        code = self.code
        result = self.library.import_folder(folder, code)
        self.last_import = result
        self.reload()
        set_status(self.status, result.message, error=bool(result.refused))
        if result.imported:
            self.changed.emit(result.message)
        return result
