from __future__ import annotations

import pytest

from redactaudit.audit import load_ruleset
from redactaudit.config import Config
from redactaudit.model import Document


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset(Config())


def make_doc(text: str, path: str = "t.txt") -> Document:
    return Document(path=path, text=text, encoding="utf-8", newline="\n")


def spans(findings, kind=None):
    """(rule, start, end, text) of findings, optionally of one kind."""
    return [(f.rule, f.start, f.end, f.text) for f in findings if kind is None or f.kind.value == kind]
