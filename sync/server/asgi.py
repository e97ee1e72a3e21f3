"""The hub app for uvicorn's worker processes (``python -m sync.server --workers N``).

Each worker imports this module and builds its own app from the settings the parent process put in the
environment; the parent has already migrated the database, so a worker only opens it. Workers share nothing but
the database and the files directory: every lock and every answer a second worker must see lives in PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette

ENV_DB = "ZC_HUB_DB"
ENV_FILES = "ZC_HUB_FILES"
ENV_QUOTA = "ZC_HUB_UPLOAD_QUOTA"


def worker_environment(db_url: str, files: str, upload_quota: int | None,
                       s3_endpoint: str | None = None) -> dict[str, str]:
    """``files``: a directory (made absolute here) or an ``s3://bucket/prefix`` address."""
    from sync.server.filestore import ENV_S3_ENDPOINT

    env = {ENV_DB: db_url, ENV_FILES: files if files.startswith("s3://") else str(Path(files).resolve())}
    if s3_endpoint:
        env[ENV_S3_ENDPOINT] = s3_endpoint
    if upload_quota:
        env[ENV_QUOTA] = str(upload_quota)
    return env


def create_app() -> Starlette:
    from sync.server.app import build_app
    from sync.server.filestore import open_file_store
    from sync.server.hubdb import open_hub_store

    store = open_hub_store(os.environ[ENV_DB])
    quota = os.environ.get(ENV_QUOTA)
    return build_app(store, open_file_store(os.environ[ENV_FILES]), **({"upload_quota": int(quota)} if quota else {}))
