"""``python -m app db upgrade``: bring the store to the newest schema."""

from __future__ import annotations

import argparse

from console import print_json, settings_from


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")
    up = sub.add_parser("upgrade", help="升级数据库结构到最新版本")
    up.set_defaults(handler=_upgrade)


def _upgrade(args: argparse.Namespace) -> int:
    from app.store import open_store
    from app.store.migrate import current_revision

    settings = settings_from(args)
    store = open_store(settings.db_url)
    revision = current_revision(store)
    if args.json:
        print_json({"url": store.engine.url.render_as_string(hide_password=True), "revision": revision})
    else:
        print(f"数据库已是最新结构（版本 {revision}）：{store.engine.url.render_as_string(hide_password=True)}")
    return 0
