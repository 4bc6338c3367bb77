#!/usr/bin/env python3
"""Throughput of the whole `redactaudit scan` command on generated documents, in MB/s.

Usage: python bench/bench_scan.py [--mb 20] [--docs 2000] [--keep]

Writes synthetic Chinese and English documents (speeches, notices, contact sheets with masks,
identifiers and figures, all made up here) under bench/_work/, then times one CLI run over the
folder with the JSON report sent to a file, single process, as a CI job would run it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"
PLACES = ["南宁市", "青秀区", "田阳县", "宜宾市", "靖西市", "绵阳市", "赣州市", "九江市"]
MASKS = ["**", "***", "XX", "×××", "某某", "*"]
# Ordinary prose, written for this benchmark: most of a real document has nothing to report.
FILLER = [
    "从严管党治党一刻不放松，持续深化作风建设，推动各项工作落地见效。",
    "全体干部职工务必主动担当作为，坚持实事求是，推动工作落细落实。",
    "要把学习成果转化为推动高质量发展的实际行动，确保各项决策部署落到实处。",
    "始终把群众冷暖放在心上，着力解决群众急难愁盼问题，不断增强获得感。",
    "各部门要加强协调配合，形成工作合力，做到守土有责、守土负责、守土尽责。",
    "我们要以更加务实的作风、更加有力的举措，推动经济社会持续健康发展。",
    "The committee reviewed the annual plan and agreed on the next steps for the programme.",
    "会议要求，要严格落实中央八项规定精神，驰而不息纠治“四风”。",
]


def _id_number(rng: random.Random) -> str:
    from stdnum.cn import ric

    body = f"450103{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return body + ric.calc_check_digit(body + "0")


def sentence(rng: random.Random, rate: float = 0.025) -> str:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    mask = rng.choice(MASKS)
    if rng.random() >= rate:
        return rng.choice(FILLER)
    kind = rng.randrange(6)
    if kind == 0:
        return f"刚才，{mask}同志通报了{rng.choice(PLACES)}的工作情况，{name}同志作了补充。"
    if kind == 1:
        return f"全市共立案{rng.randint(2, 99)}件，处分{mask}人，追缴违纪款{rng.randint(1, 90)}.{rng.randint(1, 9)}万元。"
    if kind == 2:
        return f"联系人：{name}，手机1{rng.choice('3589')}{rng.randint(100000000, 999999999)}，身份证号{_id_number(rng)}。"
    if kind == 3:
        return f"在{mask}县{mask}镇调研时，回访满意率达到{rng.randint(60, 99)}%，位居全省第{rng.randint(1, 20)}。"
    if kind == 4:
        return f"Dear {mask}, your case is handled by [NAME]; call (***) ***-{rng.randint(1000, 9999)}."
    if kind == 5:
        return f"举报邮箱：user{rng.randint(1, 999)}@example.com，举报电话：0771-{rng.randint(2000000, 8999999)}。"
    return rng.choice(FILLER)


def generate(folder: Path, mb: float, docs: int, seed: int = 7, rate: float = 0.025) -> int:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    target = int(mb * 1_000_000)
    per_doc = max(1000, target // docs)
    total = 0
    i = 0
    while total < target:
        parts, size = [], 0
        while size < per_doc:
            s = sentence(rng, rate)
            parts.append(s + ("\n" if rng.random() < 0.3 else ""))
            size += len(s.encode("utf-8"))
        data = "".join(parts).encode("utf-8")
        (folder / f"doc_{i:05d}.txt").write_bytes(data)
        total += len(data)
        i += 1
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    parser.add_argument("--docs", type=int, default=2000, help="number of documents (default 2000)")
    parser.add_argument("--rate", type=float, default=0.025,
                        help="share of sentences that carry a mask or a value (default 0.025: about one "
                             "finding per kilobyte, as in the seed speeches)")
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    args = parser.parse_args()
    work = HERE / "_work" / "scan"
    shutil.rmtree(work, ignore_errors=True)
    size = generate(work / "docs", args.mb, args.docs, rate=args.rate)
    report = work / "report.json"
    cmd = [sys.executable, "-m", "redactaudit", "scan", str(work / "docs"), "--format", "json",
           "--output", str(report), "--fail-on", "never"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        return proc.returncode
    files = len(list((work / "docs").iterdir()))
    import json

    findings = json.loads(report.read_text(encoding="utf-8"))["summary"]["findings"]
    print(f"scan: {files} documents, {size / 1e6:.1f} MB, {findings / (size / 1e3):.2f} findings/KB, "
          f"in {elapsed:.2f} s = {size / 1e6 / elapsed:.2f} MB/s (whole CLI, one process, JSON report)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
