"""``python -m app scan image FILE``: the codes in a photo and what each is; ``scan clean``: straighten a page photo."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from console import print_json, settings_from


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")
    image = sub.add_parser(
        "image", help="识别图片中的二维码与条码，并判断其内容（证件号码、受理编号、号票、电子证照）"
    )
    image.add_argument("file", metavar="FILE", help="图片文件（JPEG、PNG、BMP、TIFF）")
    image.set_defaults(handler=_image)

    clean = sub.add_parser("clean", help="把拍摄的纸质材料照片校正为 A4 页面（JPEG，不超过约 300 KB）")
    clean.add_argument("file", metavar="FILE", help="照片文件")
    clean.add_argument("--out", "-o", required=True, metavar="OUT", help="输出 JPEG 文件")
    clean.add_argument("--gray", action="store_true", help="输出灰度图（更小）")
    clean.set_defaults(handler=_clean)


def _image(args: argparse.Namespace) -> int:
    from app.devices.codes import decode_file
    from app.devices.scanner import recognise

    path = Path(args.file)
    codes = decode_file(path)
    if not codes:
        sys.stderr.write(f"错误：图片中没有找到可识别的条码或二维码：{path}\n")
        return 1
    settings = settings_from(args)
    today = settings.hall_clock().today()
    is_case_no = _store_lookup(settings.db_url) if args.db else None
    items = []
    for code in codes:
        scanned = recognise(code.text, today=today, is_case_no=is_case_no)
        items.append({**code.to_json(), "recognised": scanned.to_json()})
    if args.json:
        print_json({"file": str(path), "codes": items})
        return 0
    for item in items:
        rec = item["recognised"]
        line = f"{item['format']}：{item['text']} → {rec['kind_label']}"
        if rec.get("form"):
            line += f"（{rec['form_label']} {rec['spoken']}）"
        if rec.get("id_number"):
            line += f"（证件号码 {rec['id_number']}）"
        if rec["message"]:
            line += f"（{rec['message']}）"
        print(line)
    return 0


def _store_lookup(url: str) -> Callable[[str], bool]:
    from app.cases.views import case_exists
    from app.store import open_store

    store = open_store(url, upgrade=False)

    def is_case_no(digits: str) -> bool:
        with store.read() as session:
            return case_exists(session, digits)

    return is_case_no


def _clean(args: argparse.Namespace) -> int:
    from app.devices.photo import clean_document_file
    from app.errors import DeviceError

    src, out = Path(args.file), Path(args.out)
    page = clean_document_file(src, color=not args.gray)
    try:
        out.write_bytes(page.jpeg)
    except OSError as exc:
        raise DeviceError(f"无法写入输出文件：{out}（{exc.strerror or exc}）", field="out") from exc
    info = {"file": str(src), "out": str(out), "width": page.width, "height": page.height,
            "bytes": len(page.jpeg), "quality": page.quality, "corners": [list(c) for c in page.corners]}  # fmt: skip
    if args.json:
        print_json(info)
    else:
        print(f"已保存 {out}：{page.width}×{page.height} 像素，{len(page.jpeg) // 1024} KB")
    return 0
