"""Regenerate the hub's first migration from its models (until the hub ships). ``python -m sync.server.regen``"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from app.store.engine import Store
from sync.server.hubdb import MIGRATIONS, alembic_config


def main() -> None:
    versions = MIGRATIONS / "versions"
    for old in versions.glob("0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'empty.db'}")
        config = alembic_config(store)
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.revision(config, message="hub schema", autogenerate=True, rev_id="0001")
    for new in versions.glob("0001_*.py"):
        print(f"wrote {new}")


if __name__ == "__main__":
    main()
