"""Fault injection (issue 11): `redact --in-place` over 1,000 small files, killed with SIGKILL or
interrupted with SIGINT at random points, several rounds on the same tree, then run to the end.
After every kill each file is its original or its fully redacted version (bytes compared with both),
no temporary file is left (after SIGKILL, but for one killed between link and rename: complete, and
removed by the next run), every file the log says was written is redacted, and every backup holds
the original. Runs in about 30 s; the seed is printed so a failing round can be replayed."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from redactaudit.audit import RedactOptions, load_ruleset, redact
from redactaudit.config import Config
from redactaudit.policy import load_policy

FILES = 1000
ROUNDS = (signal.SIGKILL, signal.SIGINT, signal.SIGKILL, signal.SIGINT, signal.SIGKILL, signal.SIGINT)
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建华立新晓燕国庆志强秀英玉兰海涛红梅文博丽娟"
ROLES = ["经办人：", "投诉人：", "值班员", "联系人："]
FILL = ["会议强调要压实责任。", "各单位要抓好整改落实。", "本月共办结来信来访事项。", "请于月底前报送材料。",
        "检查组深入基层开展调研。", "对发现的问题立行立改。", "进一步完善长效机制。", "切实减轻基层负担。"]


def make_tree(root: Path, rng: random.Random) -> dict[Path, bytes]:
    originals = {}
    for i in range(FILES):
        folder = root / f"d{i // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN[0::2]) + rng.choice(GIVEN[1::2])
        first, second, third = rng.sample(FILL, 3)
        text = f"第{i}号\n{first}{rng.choice(ROLES)}{name}，手机139{rng.randrange(10 ** 8):08d}。\n{second}{third}\n"
        path = folder / f"r{i:04d}.txt"
        path.write_bytes(text.encode("utf-8"))
        originals[path] = path.read_bytes()
    return originals


def read_log(path: Path) -> list[dict]:
    records = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:  # a line cut by SIGKILL
                pass
    return records


def temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".redactaudit-tmp-")]


def start(root: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "redactaudit", "redact", str(root), "--in-place", "--log", str(log)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def check(root: Path, originals: dict[Path, bytes], expected: dict[Path, bytes], log: Path,
          killed: int | None = None) -> tuple[int, int]:
    """Every file whole; no temporary file; the log's files redacted; backups the originals.
    After a SIGKILL (`killed`, the process id) one temporary file may be left: the kill fell in the
    instant between link and rename. It is named after the dead process, holds a complete version
    (never half of one), and the next run removes it. Returns (files redacted, such files)."""
    redacted = 0
    for path, before in originals.items():
        now = path.read_bytes()
        assert now in (before, expected[path]), f"{path} is neither the original nor the redacted version"
        redacted += now == expected[path]
    left = temporaries(root)
    if killed is None:
        assert left == []
    for tmp in left:
        assert tmp.name.startswith(f".redactaudit-tmp-{killed}-"), tmp
        complete = {expected[p] for p in originals if p.parent == tmp.parent} | \
                   {originals[p] for p in originals}
        assert tmp.read_bytes() in complete, f"{tmp} holds half a file"
    for record in read_log(log):
        if record["event"] == "written":
            assert Path(record["path"]).read_bytes() == expected[Path(record["path"])]
    backups = root / ".redactaudit-backup"
    for backup in (p for p in backups.rglob("*") if p.is_file() and not p.name.startswith(".redactaudit-tmp-")
                   and p != backups / ".gitignore"):
        assert backup.read_bytes() == originals[root / backup.relative_to(backups)], backup
    return redacted, len(left)


def test_sigkill_and_sigint_at_random_points_leave_every_file_whole(tmp_path):
    seed = int(os.environ.get("REDACTAUDIT_FAULT_SEED", time.time_ns() % 100_000))
    print(f"fault-injection seed {seed}")
    rng = random.Random(seed)
    root = tmp_path / "docs"
    originals = make_tree(root, rng)
    result = redact([str(root)], load_ruleset(Config()), Config(), load_policy("zh-gov"), RedactOptions(dry_run=True))
    expected = {Path(f.document.path): f.text.encode("utf-8") for f in result.files}
    assert set(expected) == set(originals) and all(expected[p] != originals[p] for p in originals)
    kills, stale = [], 0
    for n, sig in enumerate(ROUNDS):
        log = tmp_path / f"round{n}.jsonl"
        proc = start(root, log)
        if n == 0:  # once during start-up and scanning
            time.sleep(rng.uniform(0.2, 1.5))
        else:  # the others while files are being written: after a random number of them, give or take
            left = FILES - sum(p.read_bytes() == expected[p] for p in originals)
            target = rng.randint(1, max(1, left // 3))
            deadline = time.monotonic() + 30
            while proc.poll() is None and time.monotonic() < deadline and \
                    sum(r["event"] == "written" for r in read_log(log)) < target:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.02))
        proc.send_signal(sig)
        code = proc.wait(timeout=30)
        if sig == signal.SIGINT and code not in (130, -signal.SIGINT):
            assert code in (0, 1), code  # it had finished before the signal came
        done, left = check(root, originals, expected, log, killed=proc.pid if sig == signal.SIGKILL else None)
        kills.append((sig.name, code, done))
        stale += left
    final = tmp_path / "final.jsonl"
    assert start(root, final).wait(timeout=60) == 0
    assert check(root, originals, expected, final) == (FILES, 0)  # and what a kill left is gone
    assert read_log(final)[-1]["event"] == "end"
    print(f"{FILES} files; kills (signal, exit code, files redacted after it): {kills}; "
          f"temporary files left by a SIGKILL between link and rename, removed by the next run: {stale}")
