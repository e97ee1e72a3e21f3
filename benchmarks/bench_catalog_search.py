"""Search-as-you-type speed over 2,000 matters (the shipped catalog multiplied), per keystroke.

Run: ``.venv/bin/python benchmarks/bench_catalog_search.py``. Target: p95 under 5 ms per keystroke.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.catalog import MatterIndex, load_catalog
from app.catalog.model import Matter

TARGET = 2000
# Prefixes that keep the synthetic names pronounceable and varied, like township variants of a county matter.
VARIANTS = ["", "乌兰花镇", "供济堂镇", "吉生太镇", "库伦图镇", "白音朝克图镇", "东八号乡", "忽鸡图乡",
            "江岸苏木", "红格尔苏木", "查干补力格苏木", "脑木更苏木", "卫境苏木", "巴音敖包苏木", "大黑河乡",
            "幸福乡", "杜尔伯特", "草原", "嘎查村", "牧区", "农区", "城区", "社区", "便民", "代办", "联办",
            "一件事", "跨省", "全区", "网办", "自助", "预约", "上门", "帮办", "延时", "绿色", "容缺", "承诺", "特办",
            "加急", "补录"]
QUERIES = ["ylbx", "个体工商户设立", "150929-SJ-0", "gjjtq", "shipin", "低保", "bdczy", "身份证", "wlhz ylbx",
           "失业保险金", "cyj", "dy", "120", "公积金 提取"]


def synthetic(matters: tuple[Matter, ...], n: int) -> list[Matter]:
    out: list[Matter] = []
    i = 0
    while len(out) < n:
        base = matters[i % len(matters)]
        variant = VARIANTS[(i // len(matters)) % len(VARIANTS)]
        out.append(dataclasses.replace(base, code=f"{base.code}-{i:04d}", name=variant + base.name))
        i += 1
    return out


def keystrokes(query: str) -> list[str]:
    return [query[: k + 1] for k in range(len(query))]


def main() -> None:
    catalog = load_catalog()
    matters = synthetic(catalog.matters, TARGET)
    t0 = time.perf_counter()
    index = MatterIndex(matters)
    build = time.perf_counter() - t0
    typed: list[float] = []  # as the clerk types: each keystroke extends the last query
    cold: list[float] = []  # each prefix searched on its own (e.g. after pasting, or a deleted character)
    typed_cpu: list[float] = []  # thread CPU time: the same, without waiting for a core on a busy machine
    hits = 0
    for _round in range(5):
        for query in QUERIES:
            index.search("")  # the clerk cleared the box: nothing to narrow from
            for text in keystrokes(query):
                t, c = time.perf_counter(), time.thread_time()
                hits += len(index.search(text))
                typed_cpu.append(time.thread_time() - c)
                typed.append(time.perf_counter() - t)
            for text in keystrokes(query):
                index.search("")
                t = time.perf_counter()
                index.search(text)
                cold.append(time.perf_counter() - t)

    def show(label: str, xs: list[float]) -> None:
        xs = sorted(xs)
        p95 = xs[int(len(xs) * 0.95) - 1]
        print(f"{label:<30} n={len(xs):4d}  mean={statistics.mean(xs) * 1000:6.3f} ms  "
              f"p95={p95 * 1000:6.3f} ms  max={xs[-1] * 1000:6.3f} ms")

    print(f"matters={len(index)}  index build={build * 1000:.0f} ms  (pypinyin for names and keywords)")
    show("per keystroke (typing on)", typed)
    show("per keystroke, CPU time", typed_cpu)
    show("per query (no narrowing)", cold)
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"target: p95 < 5 ms per keystroke; results returned in total: {hits}")


if __name__ == "__main__":
    main()
