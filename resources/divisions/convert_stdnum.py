"""Rebuild divisions.tsv from python-stdnum's stdnum/cn/loc.dat (run by hand when the upstream data changes).

Usage: python resources/divisions/convert_stdnum.py path/to/stdnum/cn/loc.dat > resources/divisions/divisions.tsv
"""

from __future__ import annotations

import re
import sys

_ENTRY = re.compile(r"^(?:\[(\d*)-(\d*)\])?(.+)$")
# loc.dat keeps the traditional spelling for the two SARs; the counter prints simplified Chinese.
_SIMPLIFIED = {"香港特別行政區": "香港特别行政区", "澳門特別行政區": "澳门特别行政区"}


def main(path: str) -> None:
    print("# code\tname\tfrom\tto  (years inclusive, empty = open). Source: see SOURCE.md")
    province = ""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if not line.startswith(" "):
                province, rest = line.split(" ", 1)
                name = rest.split('"')[1]
                print(f"{province}0000\t{_SIMPLIFIED.get(name, name)}\t\t")
                continue
            code, rest = line.strip().split(" ", 1)
            if code == "0000":
                continue  # the province itself, printed above
            for part in rest.split('"')[1].split(","):
                match = _ENTRY.match(part.strip())
                if match:
                    start, end, name = match.groups()
                    print(f"{province}{code}\t{name}\t{start or ''}\t{end or ''}")
    # 港澳台居民居住证 use 830000 for Taiwan residents (GB/T 2260 has no such row).
    print("830000\t台湾地区\t\t")


if __name__ == "__main__":
    main(sys.argv[1])
