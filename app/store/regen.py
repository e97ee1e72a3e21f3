"""Regenerate the first migration from the models (only until 0.1 ships; after that, add migrations).

Usage: ``python -m app.store.regen``
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from app.store.engine import Store
from app.store.migrate import MIGRATIONS, alembic_config


def main() -> None:
    versions = MIGRATIONS / "versions"
    for old in versions.glob("0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'empty.db'}")
        config = alembic_config(store)
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
    for new in versions.glob("0001_*.py"):
        print(f"wrote {new}")


if __name__ == "__main__":
    main()
