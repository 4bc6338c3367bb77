"""The cache of built rules in the user's cache folder: the same rules as a fresh build, and a
corrupt, stale or foreign entry is rebuilt, never used. The engine without google-re2."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from redactaudit.engine import cache
from redactaudit.engine.gazetteer import WordLists
from redactaudit.engine.packs import builtin_packs
from redactaudit.engine.re2 import LazyPattern
from redactaudit.engine.rules import rule_gate

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "docs"


def _fields(packs):
    out = []
    for pack in packs:
        out.append((pack.name, pack.source, pack.description, pack.enabled, pack.infer))
        for r in pack.rules:
            plain = {f.name: getattr(r, f.name) for f in dataclasses.fields(r) if f.name != "pattern"}
            out.append((plain, r.pattern.pattern, r.pattern.flags, dict(r.pattern.groupindex), rule_gate(r)))
    return out


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACTAUDIT_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_cached_packs_are_the_built_packs_in_every_field(folder):
    built = builtin_packs(WordLists())
    first = builtin_packs()  # builds and writes the entry
    again = builtin_packs()  # reads it
    assert [p.name for p in folder.iterdir()] and all(p.name.startswith("packs-") or p.name.startswith("fold-")
                                                      for p in folder.iterdir())
    assert isinstance(again[0].rules[0].pattern, LazyPattern)
    assert _fields(again) == _fields(built) == _fields(first)


def _entry(folder: Path) -> Path:
    (path,) = folder.glob("packs-*.json")
    return path


@pytest.mark.parametrize("damage", ["garbage", "truncated", "payload", "version", "inputs", "not-json-payload",
                                    "other-shape"])
def test_a_damaged_or_foreign_entry_is_rebuilt_not_used(folder, damage):
    builtin_packs()
    path = _entry(folder)
    entry = json.loads(path.read_text(encoding="utf-8"))
    if damage == "garbage":
        path.write_bytes(b"\x00\xffnot json")
    elif damage == "truncated":
        path.write_text(path.read_text(encoding="utf-8")[: len(path.read_text(encoding="utf-8")) // 2], encoding="utf-8")
    elif damage == "payload":  # a rule changed without its checksum: a flipped byte on disk
        entry["payload"] = entry["payload"].replace('"names-zh.', '"names-zx.', 1)
        path.write_text(json.dumps(entry), encoding="utf-8")
    elif damage in ("version", "inputs"):  # intact, but made by another version or from other files
        entry[damage] = "something else"
        path.write_text(json.dumps(entry), encoding="utf-8")
    else:  # intact and checked, but not JSON, or not the shape of packs (an older layout)
        entry["payload"] = "[1, 2" if damage == "not-json-payload" else '{"sets": [], "packs": [{"name": 1}]}'
        entry["checksum"] = cache._checksum(entry["payload"])
        path.write_text(json.dumps(entry), encoding="utf-8")
    if damage not in ("version", "inputs", "other-shape"):
        assert cache.read(path, _version(), _inputs()) is None
    packs = builtin_packs()
    assert _fields(packs) == _fields(builtin_packs(WordLists()))
    assert cache.read(_entry(folder), _version(), _inputs()) is not None  # written again, whole


def _version() -> str:
    from redactaudit import __version__
    return __version__


def _inputs() -> str:
    from redactaudit.engine.snapshot import builtin_inputs
    return builtin_inputs()


def test_an_empty_cache_setting_keeps_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACTAUDIT_CACHE_DIR", "")
    assert cache.cache_dir() is None
    assert _fields(builtin_packs()) == _fields(builtin_packs(WordLists()))
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_cache_folder_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("REDACTAUDIT_CACHE_DIR", str(blocker / "cache"))
    assert _fields(builtin_packs()) == _fields(builtin_packs(WordLists()))


def test_the_cache_folder_follows_the_platform(monkeypatch):
    monkeypatch.delenv("REDACTAUDIT_CACHE_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert cache.cache_dir() == Path("/somewhere/cache/redactaudit")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # not absolute: ignored, as the spec says
    assert cache.cache_dir() == Path.home() / ".cache" / "redactaudit"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cache.cache_dir() == Path.home() / "Library" / "Caches" / "redactaudit"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", "C:/Users/x/AppData/Local")
    assert cache.cache_dir() == Path("C:/Users/x/AppData/Local") / "redactaudit" / "Cache"


_SCAN = """
import sys
{block}
from redactaudit.cli import main
sys.argv = ["redactaudit", "scan", sys.argv[1], "-f", "json", "--show-values", "--fail-on", "never"]
main()
"""


def _scan_json(block: str, folder: Path, cache_dir: Path) -> str:
    proc = subprocess.run([sys.executable, "-c", _SCAN.format(block=block), str(folder)], capture_output=True,
                          text=True, env={**__import__("os").environ, "REDACTAUDIT_CACHE_DIR": str(cache_dir),
                                          "PYTHONHASHSEED": "0"})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_without_google_re2_the_findings_are_the_same(tmp_path):
    """google-re2 is an optional extra: without it (no wheel for musl or older macOS) the gate is
    off, RE2 rules and the fold's search run on `regex` and `re`, and every finding is the same."""
    with_re2 = _scan_json("", SAMPLES, tmp_path / "a")
    without = _scan_json("sys.modules['re2'] = None  # import re2 raises ImportError", SAMPLES, tmp_path / "b")
    assert json.loads(without)["summary"]["findings"] > 0
    assert without == with_re2
    assert "re2=False" not in with_re2
