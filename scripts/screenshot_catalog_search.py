"""Screenshot of the counter's matter search over the 1,200-matter 实施清单 (benchmarks/catalog_gen.py).

Run under a virtual screen:
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshot_catalog_search.py [OUT_DIR] [QUERY…]
Imports the generated list into a throwaway SQLite store of the demo hall (through the same import as
``python -m app catalog import``), opens the counter, types each query key by key and saves
``search-<n>.png`` into OUT_DIR (default /tmp/catalog-search-shots).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The generator's queue letters, put on the demo hall's categories (社保医保 A … 卫生健康 K).
LETTERS = {"A": "A", "B": "E", "C": "C", "D": "D", "E": "F", "F": "G", "G": "G", "H": "H", "I": "J", "J": "K",
           "K": "B", "L": "C", "M": "C", "N": "F", "O": "F"}


def main() -> None:
    from PySide6.QtWidgets import QApplication, QLineEdit

    from app.catalog.importer import plan_import
    from app.catalog.sheet import load_mapping
    from app.catalog.store import current_catalog, import_catalog
    from app.demo import seed_demo_hall
    from app.store import open_store
    from benchmarks.catalog_gen import DEPARTMENTS, REGION, _full, matters, write_xlsx
    from tests.ui._counter_kit import demo_ctx, type_text
    from ui.counter import CounterWindow

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/catalog-search-shots")
    queries = sys.argv[2:] or ["bdb", "开饭店", "11152523AL4", "shipin"]
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = open_store(f"sqlite:///{root / 'counter.db'}")
        seed_demo_hall(store)
        sheet = root / "实施清单.xlsx"
        write_xlsx(sheet, matters(1200))
        mapping = load_mapping(None)
        for name, letter, _bases, _own in DEPARTMENTS:
            full = _full(name) if name.startswith(("税务局", "住房公积金", "生态环境", "消防", "气象", "烟草")) \
                else f"{REGION}{name}"
            mapping.department_categories[full] = LETTERS[letter]
        with store.read() as session:
            found = current_catalog(session)
        plan = plan_import(sheet, mapping=mapping, current=found[1] if found else None, version="2026.12.07.1",
                           issued="2026-12-07")
        with store.write() as session:
            import_catalog(session, plan.catalog, source="import:实施清单.xlsx")
        ctx = demo_ctx(root, store)
        window = CounterWindow(ctx)
        window.resize(1600, 1000)
        window.show()
        edit = window.findChild(QLineEdit, "matterSearchEdit")
        assert edit is not None
        for n, query in enumerate(queries, 1):
            edit.clear()
            edit.setFocus()
            started = time.perf_counter()
            type_text(edit, query)
            for _ in range(30):  # let the debounced search run and the list paint
                app.processEvents()
                time.sleep(0.02)
            shown = [m.name for m in window.intake.search.matters()]
            path = out / f"search-{n}.png"
            window.grab().save(str(path))
            print(f"{path}: “{query}” → {len(shown)} shown, first: {shown[:3]} "
                  f"({(time.perf_counter() - started) * 1000:.0f} ms typing + painting)")
        window.close()
        store.dispose()


if __name__ == "__main__":
    main()
