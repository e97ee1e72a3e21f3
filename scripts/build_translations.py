"""Build the clerk UI's Qt translations: resources/i18n/{zh_CN,mn_Mong_CN}.ts and their .qm.

    .venv/bin/python scripts/build_translations.py          # extract, fill, compile
    .venv/bin/python scripts/build_translations.py --check  # exit 1 when a .ts or .qm is out of date

The source strings are Chinese (zh_CN is the source language), so:
- ``zh_CN.ts`` maps every string the UI passes through ``tr()`` to itself, marked finished: complete by
  construction and checked (``--check``) so a new string cannot go unlisted; it is the template a translator
  starts from and lets a wording change ship as a translation.
- ``mn_Mong_CN.ts`` carries the applicant-facing wording — every entry of ``app.vocabulary.MONGOLIAN`` (the one
  home of the Mongolian wording, shared with the papers and screens) in the context ``applicant`` — and every
  clerk-UI string that is such wording; the rest stays unfinished and shows in Chinese.

Extraction is ``pyside6-lupdate`` (ships with pyside6-essentials). A module-level ``tr()`` helper that calls
``QCoreApplication.translate("<context>", text)`` is extracted with an empty context; its file's context is
read from the helper and put back, so the catalogue matches what the code looks up.
"""

from __future__ import annotations

import argparse
import filecmp
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

I18N = ROOT / "resources" / "i18n"
LOCALES = ("zh_CN", "mn_Mong_CN")
SOURCES = ("ui", "widgets")
APPLICANT_CONTEXT = "applicant"
_HELPER = re.compile(r'def tr\(text: str\) -> str:\s+return QCoreApplication\.translate\("(\w+)", text\)')


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else name


def _helper_context(path: Path) -> str:
    """The context of the file's own ``tr()`` helper, or of the module it imports ``tr`` from."""
    text = path.read_text(encoding="utf-8")
    found = _HELPER.search(text)
    if found:
        return found.group(1)
    imported = re.search(r"^from (ui|widgets)\.(\w+) import (\([^)]*\)|[^\n]*)", text, re.M)
    while imported and not re.search(r"\btr\b", imported.group(3)):
        imported = re.compile(r"^from (ui|widgets)\.(\w+) import (\([^)]*\)|[^\n]*)", re.M).search(
            text, imported.end())
    if imported:
        return _helper_context(ROOT / imported.group(1) / f"{imported.group(2)}.py")
    return ""


def _messages() -> dict[str, list[str]]:
    """context → source strings the UI passes through tr(), in first-seen order (one lupdate run)."""
    files = [p for d in SOURCES for p in sorted((ROOT / d).glob("*.py"))]
    helper = {p.relative_to(ROOT).as_posix(): _helper_context(p) for p in files}
    contexts: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp) / "all.ts"
        subprocess.run([_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "absolute",
                        *[str(p) for p in files], "-ts", str(ts)], check=True, capture_output=True, cwd=ROOT)
        for ctx in ET.parse(ts).getroot().iter("context"):
            for message in ctx.iter("message"):
                source = message.findtext("source") or ""
                name = ctx.findtext("name") or ""
                if not name:
                    location = message.find("location")
                    filename = location.get("filename", "") if location is not None else ""
                    resolved = (Path(tmp) / filename).resolve()
                    name = helper.get(resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT)
                                      else filename, "")
                bucket = contexts.setdefault(name, [])
                if source and source not in bucket:
                    bucket.append(source)
    return contexts


def _strip_accelerator(text: str) -> str:
    return re.sub(r"\(&\w\)$", "", text).strip()


def _write_ts(path: Path, locale: str, contexts: dict[str, list[str]], translate: dict[str, str] | None) -> None:
    root = ET.Element("TS", version="2.1", language=locale, sourcelanguage="zh_CN")
    for name, sources in contexts.items():
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = name
        for source in sources:
            message = ET.SubElement(ctx, "message")
            ET.SubElement(message, "source").text = source
            if translate is None:
                ET.SubElement(message, "translation").text = source
                continue
            text = translate.get(source) or translate.get(_strip_accelerator(source), "")
            if text and source != _strip_accelerator(source):
                text += source[len(_strip_accelerator(source)):]  # keep the (&N) accelerator
            element = ET.SubElement(message, "translation")
            if text:
                element.text = text
            else:
                element.set("type", "unfinished")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def build(out_dir: Path) -> list[Path]:
    from app.vocabulary import MONGOLIAN

    contexts = _messages()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    zh = out_dir / "zh_CN.ts"
    _write_ts(zh, "zh_CN", {**contexts, APPLICANT_CONTEXT: list(MONGOLIAN)}, None)
    mn = out_dir / "mn_Mong_CN.ts"
    _write_ts(mn, "mn_Mong_CN", {**contexts, APPLICANT_CONTEXT: list(MONGOLIAN)}, dict(MONGOLIAN))
    for ts in (zh, mn):
        qm = ts.with_suffix(".qm")
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True,
                       capture_output=True)
        written += [ts, qm]
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that resources/i18n is up to date")
    args = parser.parse_args()
    if not args.check:
        for path in build(I18N):
            print(path.relative_to(ROOT))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = [p.name for p in build(Path(tmp)) if not (I18N / p.name).exists()
                 or not filecmp.cmp(p, I18N / p.name, shallow=False)]
    if stale:
        print("过期的翻译文件（请运行 scripts/build_translations.py）：" + "、".join(stale))
        return 1
    print("resources/i18n 与界面文字一致")
    return 0


if __name__ == "__main__":
    sys.exit(main())
