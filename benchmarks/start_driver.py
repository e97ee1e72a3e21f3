"""Run by bench_startup.py in a child process: the real clerk client (``console.main``) with a watcher that
prints a line the moment the login window and then the counter window are shown, logging in as a demo clerk in
between as a clerk would (type, press Enter). Works on any revision of the tree it is run in (the old one for the
side-by-side figures), so it touches only the login window's public parts.

    python benchmarks/start_driver.py DATA_DIR login|counter

Lines: ``mark login <s>``, ``mark counter <s>`` (seconds since this process started, from the parent's clock as
well: the parent records when each line arrives) and ``modules <names>`` (which of psycopg, numpy, requests were
imported by then).
"""

from __future__ import annotations

import os
import sys
import time

WATCHED = ("psycopg", "numpy", "requests")


def main() -> None:
    data_dir, until = sys.argv[1], sys.argv[2]
    sys.path.insert(0, os.getcwd())  # the tree being measured (the current one, or the old one's copy)
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])  # make_qapp reuses it, so the watcher sees the first show

    def mark(what: str) -> None:
        print(f"mark {what} {time.perf_counter():.4f}", flush=True)
        print("modules " + ",".join(m for m in WATCHED if m in sys.modules), flush=True)

    class Watcher(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Show and obj.objectName() == "loginWindow":
                mark("login")
                if until == "login":
                    os._exit(0)
                login = obj

                def log_in() -> None:
                    login.username_edit.setText("clerk01")  # type: ignore[attr-defined]
                    login.password_edit.setText("demo1234")  # type: ignore[attr-defined]
                    login.submit_login()  # type: ignore[attr-defined]

                if getattr(login, "state", None) is not None:
                    log_in()
                else:
                    login.state_loaded.connect(log_in)  # type: ignore[attr-defined]
            elif event.type() == QEvent.Type.Show and obj.objectName() == "counterWindow":
                mark("counter")
                os._exit(0)
            return False

    watcher = Watcher()
    app.installEventFilter(watcher)
    import console

    console.main(["--demo", "--data-dir", data_dir, "--window", "1"])


if __name__ == "__main__":
    main()
