"""``python -m app catalog validate|search|import``: check the catalog files, find matters, load them into the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console import print_json, store_from


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")

    val = sub.add_parser("validate", help="校验事项目录文件，列出全部错误")
    val.add_argument("path", type=Path, nargs="?", help="目录（含 catalog.toml）或单个文件；默认随程序发布的目录")
    val.set_defaults(handler=_validate)

    search = sub.add_parser("search", help="按名称、编码、拼音首字母或关键词查找事项")
    search.add_argument("query", help="查询文字，例如 ylbx、个体、150929-SJ")
    search.add_argument("--path", type=Path, help="事项目录；默认随程序发布的目录")
    search.add_argument("--limit", type=int, default=20, help="最多显示多少条（默认 20）")
    search.set_defaults(handler=_search)

    imp = sub.add_parser("import", help="把事项目录导入数据库（同一版本重复导入不会重复写入）")
    imp.add_argument("path", type=Path, nargs="?", help="目录或文件；默认随程序发布的目录")
    imp.set_defaults(handler=_import)


def _validate(args: argparse.Namespace) -> int:
    from app.catalog.loader import check_catalog

    report = check_catalog(args.path)
    catalog = report.catalog
    summary = {
        "ok": report.ok,
        "version": catalog.version if catalog else None,
        "files": list(report.files),
        "matters": len(catalog.matters) if catalog else 0,
        "departments": len(catalog.departments) if catalog else 0,
        "deferrable_matters": sum(m.has_deferrable for m in catalog.matters) if catalog else 0,
        "pledgeable_matters": sum(m.has_pledgeable for m in catalog.matters) if catalog else 0,
        "instant_matters": sum(m.instant for m in catalog.matters) if catalog else 0,
        "errors": list(report.errors),
    }
    if args.json:
        print_json(summary)
    elif catalog is not None:
        print(f"事项目录 {catalog.version} 校验通过：{summary['departments']} 个部门，{summary['matters']} 个事项"
              f"（容缺 {summary['deferrable_matters']}，告知承诺 {summary['pledgeable_matters']}，"
              f"即办 {summary['instant_matters']}）")
    else:
        for line in report.errors:
            sys.stderr.write(f"错误：{line}\n")
        sys.stderr.write(f"共 {len(report.errors)} 处错误\n")
    return 0 if report.ok else 1


def _search(args: argparse.Namespace) -> int:
    from app.catalog.loader import load_catalog
    from app.catalog.search import MatterIndex

    if args.limit < 1:
        sys.stderr.write("错误：--limit 必须是正整数\n")
        return 2
    index = MatterIndex(load_catalog(args.path))
    found = index.search(args.query, limit=args.limit)
    rows = [{"code": m.code, "name": m.name, "department": m.department, "category": m.queue_category,
             "promised": m.promised.label()} for m in found]
    if args.json:
        print_json(rows)
    elif not rows:
        print(f"没有找到与“{args.query}”匹配的事项")
    else:
        for row in rows:
            print(f"{row['code']}  {row['name']}  （{row['department']}，{row['promised']}）")
    return 0


def _import(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from app.catalog.loader import load_catalog
    from app.catalog.store import import_catalog
    from app.store.models import CatalogVersion

    catalog = load_catalog(args.path)
    store = store_from(args)
    source = str(args.path) if args.path else "shipped"
    with store.write() as session:
        before = session.scalars(select(CatalogVersion.id).where(CatalogVersion.version == catalog.version)).first()
        version_id = import_catalog(session, catalog, source=source)
        current = session.get(CatalogVersion, version_id)
        is_current = bool(current and current.current)
    store.dispose()
    result = {"version": catalog.version, "catalog_version_id": version_id, "matters": len(catalog.matters),
              "already_imported": before is not None, "current": is_current}
    if args.json:
        print_json(result)
    elif before is not None:
        print(f"事项目录 {catalog.version} 已导入过（编号 {version_id}），未作改动")
    else:
        state = "，已设为当前目录" if is_current else "（库中已有更新的版本，当前目录不变）"
        print(f"已导入事项目录 {catalog.version}：{len(catalog.matters)} 个事项，编号 {version_id}{state}")
    return 0
