"""``python -m app catalog validate|search|import``: check the catalog files, find matters, load them into the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console import clock_from, fail, print_json, store_from


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

    imp = sub.add_parser("import", help="把事项目录（TOML）或地区的事项实施清单（.xlsx/.csv）导入数据库，成为新的目录版本")
    imp.add_argument("path", type=Path, nargs="?",
                     help="事项实施清单 .xlsx/.csv，或 TOML 目录/文件；默认随程序发布的目录")
    imp.add_argument("--mapping", type=Path, help="列名映射文件（TOML，见 docs/catalog-import.md），用于本地区的列名")
    imp.add_argument("--dry-run", action="store_true", help="只显示与当前目录相比新增、变更、删除的事项，不导入")
    imp.add_argument("--version", dest="catalog_version", help="目录版本号；默认为导入日期加序号，如 2026.12.07.1")
    imp.add_argument("--issued", help="发布日期 YYYY-MM-DD；默认为本厅今天")
    imp.add_argument("--write-toml", type=Path, metavar="DIR",
                     help="同时把导入的目录写成 TOML 文件（供枢纽下发：python -m sync.server publish catalog DIR/*.toml）")
    imp.add_argument("--all", action="store_true", help="列出全部新增、变更、删除的事项（默认每类最多 30 条）")
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


SHEET_SUFFIXES = (".xlsx", ".csv")
SHOWN = 30


def _import(args: argparse.Namespace) -> int:
    if args.path is not None and args.path.suffix.lower() in SHEET_SUFFIXES:
        return _import_sheet(args)
    if args.path is not None and args.path.suffix.lower() == ".xls":
        return fail("不支持旧版 .xls 文件：请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
    for option in ("mapping", "dry_run", "catalog_version", "issued", "write_toml"):
        if getattr(args, option):
            return fail(f"--{option.replace('_', '-').replace('catalog-', '')} 只用于导入事项实施清单（.xlsx/.csv）")
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


def _import_sheet(args: argparse.Namespace) -> int:
    """The region's 事项实施清单: every bad cell reported, the good matters imported as a new version."""
    import datetime as dt

    from app.catalog.importer import plan_import, with_version
    from app.catalog.sheet import load_mapping
    from app.catalog.store import current_catalog, import_catalog, next_version
    from app.errors import CounterError
    from app.store.models import CatalogVersion

    if args.issued:
        try:
            issued = dt.date.fromisoformat(args.issued).isoformat()
        except ValueError:
            return fail(f"--issued 日期“{args.issued}”无效，应为 YYYY-MM-DD")
    else:
        issued = clock_from(args).today().isoformat()
    store = store_from(args)
    try:
        mapping = load_mapping(args.mapping)
        with store.read() as session:
            found = current_catalog(session)
            version = args.catalog_version or next_version(session, issued)
        current = found[1] if found else None
        plan = plan_import(args.path, mapping=mapping, current=current, version=version, issued=issued)
        stored: dict[str, object] = {}
        if not args.dry_run and not plan.diff.empty:
            with store.write() as session:
                if not args.catalog_version:  # another admin may have imported meanwhile
                    plan = with_version(plan, next_version(session, issued))
                version_id = import_catalog(session, plan.catalog, source=f"import:{args.path.name}")
                row = session.get(CatalogVersion, version_id)
                stored = {"catalog_version_id": version_id, "current": bool(row and row.current)}
        written: list[str] = []
        if args.write_toml and not args.dry_run:
            from app.catalog.writer import write_catalog_dir

            written = [str(p) for p in write_catalog_dir(plan.catalog, args.write_toml,
                                                         supervise_phone=mapping.supervise_phone)]
    except CounterError as exc:
        return fail(exc.message)
    finally:
        store.dispose()
    result = {
        "file": str(args.path), "version": plan.catalog.version, "dry_run": bool(args.dry_run),
        "rows": plan.rows, "matters_in_file": plan.matters_read, "matters": len(plan.catalog.matters),
        "rejected": list(plan.rejected), "kept": list(plan.kept), "unchanged": plan.diff.empty,
        "diff": plan.diff.to_json(), "errors": [i.to_json() for i in plan.issues], "notes": list(plan.notes),
        "written": written, **stored,
    }
    if args.json:
        print_json(result)
        return 1 if plan.issues else 0
    for issue in plan.issues:
        sys.stderr.write(f"错误：{issue}\n")
    if plan.issues:
        kept = f"，其中 {len(plan.kept)} 个沿用当前目录中的版本" if plan.kept else ""
        sys.stderr.write(f"共 {len(plan.issues)} 处错误；{len(plan.rejected)} 个事项因此未导入{kept}，其余事项照常导入\n")
    for note in plan.notes:
        print(f"说明：{note}")
    _print_diff(plan.diff, show_all=args.all)
    head = f"{args.path.name}：{plan.rows} 行，{plan.matters_read} 个事项"
    if plan.diff.empty:
        print(f"{head}；与当前目录相同，未产生新版本")
    elif args.dry_run:
        print(f"{head}；试运行，未导入（去掉 --dry-run 即导入为版本 {plan.catalog.version}）")
    else:
        state = "，已设为当前目录" if stored.get("current") else "（库中已有更新的版本，当前目录不变）"
        print(f"{head}；已导入为事项目录 {plan.catalog.version}（编号 {stored['catalog_version_id']}），"
              f"共 {len(plan.catalog.matters)} 个事项{state}")
    if written:
        print(f"已写出 {len(written)} 个 TOML 文件到 {args.write_toml}")
    return 1 if plan.issues else 0


def _print_diff(diff: object, *, show_all: bool) -> None:
    from app.catalog.importer import CatalogDiff

    assert isinstance(diff, CatalogDiff)
    sections = (
        ("新增", [f"  + {m.code}  {m.name}" for m in diff.added]),
        ("变更", [f"  ~ {c.code}  {c.name}：{'；'.join(c.changes)}" for c in diff.changed]),
        ("删除", [f"  - {m.code}  {m.name}" for m in diff.removed]),
    )
    for title, lines in sections:
        if not lines:
            continue
        print(f"{title} {len(lines)} 个事项：")
        shown = lines if show_all else lines[:SHOWN]
        for line in shown:
            print(line)
        if len(shown) < len(lines):
            print(f"  …另有 {len(lines) - len(shown)} 个（--all 列出全部，--json 输出明细）")
    for line in diff.catalog_changes:
        print(f"目录：{line}")
