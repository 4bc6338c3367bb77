"""Which files changed, asked of git: for a pull-request job (--changed-since REV: since the merge
base of REV and HEAD) or a pre-commit hook (--staged). In: a revision. Out: absolute paths of added, copied, modified or
renamed files (or changed from a link to a file) that still exist, and of new files neither committed nor ignored;
for --staged, the staged contents themselves (what the commit will
hold, read from the index, not the working tree). Raises GitError with git's own message when git
cannot answer."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .documents import _SKIP_DIRS, FOLDER_LINK_NOT_FOLLOWED, LINK_NOT_FOLLOWED


class GitError(Exception):
    pass


def _git(*args: str, cwd: Path | None = None) -> str:
    try:
        proc = subprocess.run(["git", *args], capture_output=True, text=True, cwd=cwd,
                              encoding="utf-8", errors="surrogateescape")  # file names as os.fsdecode
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def _paths(listing: str, root: Path) -> list[str]:
    out = []
    for name in listing.split("\0"):
        if name and ((root / name).is_file() or (root / name).is_symlink()):
            out.append(str(root / name))
    return sorted(out)


def toplevel() -> Path:
    return Path(_git("rev-parse", "--show-toplevel").strip())


def changed_since(rev: str) -> list[str]:
    """The files changed since the merge base of `rev` and HEAD (`rev...HEAD`, as a pull request
    shows them), as they are in the working tree: what the base branch did after the fork is not
    this change's. A new file neither committed nor ignored (.gitignore, .git/info/exclude) is a
    change too: left out, it would never be scanned."""
    root = toplevel()
    try:
        base = _git("merge-base", rev, "HEAD", cwd=root).strip()
    except GitError as exc:
        raise GitError(f"no merge base of {rev} and HEAD ({exc or 'unrelated histories'}); in a shallow clone, "
                       "fetch the history (actions/checkout with fetch-depth: 0)") from None
    changed = _git("diff", "--name-only", "-z", "--diff-filter=ACMRT", base, "--", cwd=root)
    untracked = _git("ls-files", "--others", "--exclude-standard", "-z", cwd=root)
    # Not what no walk scans either: a virtualenv or node_modules a CI job made in the checkout.
    untracked = "\0".join(n for n in untracked.split("\0") if not _SKIP_DIRS.intersection(n.split("/")[:-1]))
    return _paths(changed + "\0" + untracked, root)


_MODES = {"120000": "staged symbolic link; not followed", "160000": "staged submodule; not scanned"}


def unfollowed_links(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The paths that are no symbolic links, and the links with why they are not read (a changed
    file is not named by the user: its link is not followed, as a walk does not follow one)."""
    files, links = [], []
    for p in paths:
        if os.path.islink(p):
            links.append((Path(p).as_posix(), FOLDER_LINK_NOT_FOLLOWED if os.path.isdir(p) else LINK_NOT_FOLLOWED))
        else:
            files.append(p)
    return files, links


def staged_contents(inputs: list[str]) -> list[tuple[str, bytes | str]]:
    """(display path, staged bytes) of every staged file under the inputs, read from the index (a
    file reverted or deleted in the working tree after `git add` is still what gets committed);
    a link or a submodule comes with the reason it is not read instead of bytes."""
    root = toplevel()
    names = [n for n in _git("diff", "--cached", "--name-only", "-z", "--diff-filter=ACMRT", cwd=root).split("\0") if n]
    wanted: dict[str, str] = {}
    for name in names:
        shown = within([str(root / name)], inputs)
        if shown:
            wanted[name] = shown[0]
    if not wanted:
        return []
    index: dict[str, tuple[str, str]] = {}
    for line in _git("ls-files", "-s", "-z", cwd=root).split("\0"):
        if line:
            meta, _, name = line.partition("\t")
            mode, sha, stage = meta.split()
            if name in wanted and stage == "0":
                index[name] = (mode, sha)
    out: list[tuple[str, bytes | str]] = []
    blobs = _blobs([sha for mode, sha in index.values() if mode not in _MODES], root)
    for name, (mode, sha) in sorted(index.items()):
        out.append((wanted[name], _MODES.get(mode) or blobs[sha]))
    return sorted(out)


def _blobs(shas: list[str], root: Path) -> dict[str, bytes]:
    """The contents of these blobs, in one `git cat-file --batch`."""
    if not shas:
        return {}
    try:
        proc = subprocess.run(["git", "cat-file", "--batch"], input="".join(f"{s}\n" for s in shas).encode(),
                              capture_output=True, cwd=root)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or "git cat-file failed")
    data, pos, out = proc.stdout, 0, {}
    for sha in shas:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        if len(header) != 3:
            raise GitError(f"cannot read the staged blob {sha}")
        size = int(header[2])
        out[sha] = data[end + 1:end + 1 + size]
        pos = end + 1 + size + 1
    return out


def within(files: list[str], inputs: list[str]) -> list[str]:
    """The changed files that lie under the paths the user gave (as the user spelled those paths)."""
    out = []
    for f in files:
        fp = Path(f).parent.resolve() / Path(f).name  # a link is where it is, not where it points
        for raw in inputs:
            root = Path(raw).resolve()
            if fp == root or fp.is_relative_to(root):
                out.append(str(Path(raw) / fp.relative_to(root)) if fp != root else raw)
                break
    return sorted(set(out))
