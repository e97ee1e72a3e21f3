"""Run in a child process by tests/ui/test_voice_audio.py, with PULSE_* pointing at the test's own PulseAudio
(Qt Multimedia picks its audio server once per process, so the parent test process cannot switch to it).

``call DIR``: a bilingual call (test tones in DIR) played through ClipSpeaker to the default sink; prints its order.
``record DIR``: 系统管理 → 叫号语音 records ``iregerei`` from the default microphone for 4 s; prints the result.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import QApplication

from app.settings import load_settings
from app.voice_clips import ClipLibrary, load_manifest
from tests.voice_tones import install_tones


def destroy_now(obj: QObject) -> None:
    """Delete ``obj`` while the QApplication still stands, as the app's windows go when ``ui.application.run``
    returns. Left to interpreter exit, the slots connected above (QTimer.singleShot's, holding ``tab`` in their
    closure) keep it alive until PySide tears the QApplication down, and deleting widgets from inside that
    teardown aborts the process about one run in three ("QObject: shared QObject was deleted directly", heap
    corruption) — with or without a recording, so the microphone was never the cause."""
    obj.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def call(folder: Path, app: QApplication) -> dict[str, object]:
    from ui.voice import Announcer, ClipSpeaker

    manifest = dataclasses.replace(load_manifest(), gap_ms=10, language_gap_ms=40)
    library = ClipLibrary(manifest, recorded=folder / "sounds", shipped=folder / "nothing-shipped")
    for language in ("common", "zh", "mn"):
        install_tones(library, language, ms=60)
    speaker = ClipSpeaker(library, ("zh", "mn"))
    announcer = Announcer(speaker=speaker, repeat=1, order=("zh", "mn"))
    out: dict[str, object] = {"outputs": [d.description() for d in QMediaDevices.audioOutputs()], "warnings": []}
    announcer.warning.connect(lambda text: out["warnings"].append(text))  # type: ignore[attr-defined]
    announcer.finished.connect(lambda _t: QTimer.singleShot(500, app.quit))
    QTimer.singleShot(800, lambda: announcer.announce("B205", 12))  # parec is listening by then
    app.exec()
    (folder / "played.wav").write_bytes(speaker.playing())
    destroy_now(announcer)
    return out


def record(folder: Path, app: QApplication) -> dict[str, object]:
    import types

    from ui.admin_voice import VoiceClipsTab

    tab = VoiceClipsTab(types.SimpleNamespace(settings=load_settings(data_dir=folder / "data")))  # type: ignore[arg-type]
    tab.select("iregerei")
    out: dict[str, object] = {"inputs": [d.description() for d in QMediaDevices.audioInputs()],
                              "missing_before": len(tab.missing_names())}
    tab.toggle_record()
    out["recording"] = tab.status.text()
    (folder / "ready").write_text("1")  # the parent now plays the word into the microphone

    def stop() -> None:
        tab.toggle_record()
        out["status"] = tab.status.text()
        out["missing_after"] = len(tab.missing_names())
        app.quit()

    QTimer.singleShot(4000, stop)
    app.exec()
    destroy_now(tab)
    return out


if __name__ == "__main__":
    mode, where = sys.argv[1], Path(sys.argv[2])
    qt = QApplication([])
    result = call(where, qt) if mode == "call" else record(where, qt)
    print("RESULT " + json.dumps(result, ensure_ascii=False))
