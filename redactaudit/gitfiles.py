"""Which files changed, asked of git: for a pull-request job (--changed-since REV) or a
pre-commit hook (--staged). In: a revision. Out: absolute paths of added, copied, modified or
renamed files that still exist. Raises GitError with git's own message when git cannot answer."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    pass


def _git(*args: str, cwd: Path | None = None) -> str:
    try:
        proc = subprocess.run(["git", *args], capture_output=True, text=True, cwd=cwd)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def _paths(listing: str, root: Path) -> list[str]:
    out = []
    for name in listing.split("\0"):
        if name and (root / name).is_file():
            out.append(str(root / name))
    return sorted(out)


def toplevel() -> Path:
    return Path(_git("rev-parse", "--show-toplevel").strip())


def changed_since(rev: str) -> list[str]:
    root = toplevel()
    return _paths(_git("diff", "--name-only", "-z", "--diff-filter=ACMR", rev, "--", cwd=root), root)


def staged() -> list[str]:
    root = toplevel()
    return _paths(_git("diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", cwd=root), root)


def within(files: list[str], inputs: list[str]) -> list[str]:
    """The changed files that lie under the paths the user gave (as the user spelled those paths)."""
    out = []
    for f in files:
        fp = Path(f).resolve()
        for raw in inputs:
            root = Path(raw).resolve()
            if fp == root or fp.is_relative_to(root):
                out.append(str(Path(raw) / fp.relative_to(root)) if fp != root else raw)
                break
    return sorted(set(out))
