from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

from redactaudit.audit import load_ruleset
from redactaudit.config import Config
from redactaudit.model import Document

# The tests (and the command lines they start) keep the cache of built rules in a folder of their
# own, never the user's.
if "REDACTAUDIT_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="redactaudit-test-cache-")
    os.environ["REDACTAUDIT_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset(Config())


def make_doc(text: str, path: str = "t.txt") -> Document:
    return Document(path=path, text=text, encoding="utf-8", newline="\n")


def spans(findings, kind=None):
    """(rule, start, end, text) of findings, optionally of one kind."""
    return [(f.rule, f.start, f.end, f.text) for f in findings if kind is None or f.kind.value == kind]


def found_in(text: str, ruleset, kind=None):
    """(rule, start, end, text) of what detection finds in `text`, optionally of one kind."""
    from redactaudit.engine.detect import detect

    return spans(detect(make_doc(text), ruleset), kind)


def leaks_in(text: str, ruleset):
    """found_in's leaks alone."""
    return found_in(text, ruleset, "leak")


def span(text: str, needle: str) -> tuple[int, int]:
    """Where `needle` first stands in `text`."""
    start = text.index(needle)
    return start, start + len(needle)
