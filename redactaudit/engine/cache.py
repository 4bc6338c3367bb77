"""The user's cache folder: data that is slow to build and the same on every run (the checked
built-in packs with their word lists, the fold tables), kept as JSON between runs.

In: a name, the digest of everything the data was built from, and a builder. Out: the data, read
from the cache when an entry made from the same inputs is there and intact, else built and written.
An entry is trusted only when it parses, names this format, this version and the same input
digest, and its checksum matches its payload: a corrupt, truncated, stale or foreign file is
rebuilt, never used. JSON holds no code, so no entry can run anything. Nothing is kept in memory
between calls.

Where: REDACTAUDIT_CACHE_DIR when set (set to an empty value: no cache at all); else
%LOCALAPPDATA%\\redactaudit\\Cache on Windows, ~/Library/Caches/redactaudit on macOS,
$XDG_CACHE_HOME/redactaudit or ~/.cache/redactaudit elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

FORMAT = 1


def cache_dir() -> Path | None:
    env = os.environ.get("REDACTAUDIT_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else home / "AppData" / "Local") / "redactaudit" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "redactaudit"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else home / ".cache") / "redactaudit"


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _checksum(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def read(path: Path, version: str, inputs: str) -> Any:
    """The payload of a cache entry, or None when it is missing, unreadable or not to be trusted."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if not (isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("version") == version
                and entry.get("inputs") == inputs and isinstance(entry.get("payload"), str)
                and entry.get("checksum") == _checksum(entry["payload"])):
            return None
        return json.loads(entry["payload"])
    except (OSError, ValueError, RecursionError):
        return None


def write(path: Path, version: str, inputs: str, data: Any) -> None:
    """Write an entry atomically (a reader sees the old file or the new one); a cache that cannot
    be written is no error, the next run builds again. Entries of the same name made by other
    versions are removed."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    entry = json.dumps({"format": FORMAT, "version": version, "inputs": inputs,
                        "checksum": _checksum(payload), "payload": payload}, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(entry)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        stem = path.name.split("-", 1)[0]
        for old in path.parent.glob(f"{stem}-*.json"):
            if not old.name.startswith(f"{stem}-{version}-"):
                old.unlink(missing_ok=True)
    except OSError:
        pass


def cached(name: str, version: str, inputs: str, build: Callable[[], Any], decode: Callable[[Any], Any]) -> Any:
    """decode(data): `data` is `build()`'s JSON data, from the cache when an intact entry of the
    same inputs is there. An entry that `decode` cannot read (a payload of another shape) is
    rebuilt like a corrupt one."""
    folder = cache_dir()
    if folder is None:
        return decode(build())
    path = folder / f"{name}-{version}-{inputs[:16]}.json"
    data = read(path, version, inputs)
    if data is not None:
        try:
            return decode(data)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            pass
    data = build()
    write(path, version, inputs, data)
    return decode(data)
