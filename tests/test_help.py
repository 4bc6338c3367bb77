"""The command line's help as a user reads it: exact text (a typer or click release that changes it
fails here, not in front of a user), readable metavars, help and a default for every option, and
examples in every command's help. Regenerate the expected texts after a deliberate change:
python tests/test_help.py."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redactaudit.cli import app

HELP = Path(__file__).resolve().parent / "data" / "help"
COMMANDS = {"root": [], "scan": ["scan"], "redact": ["redact"], "baseline": ["baseline"],
            "baseline-create": ["baseline", "create"], "baseline-update": ["baseline", "update"],
            "packs": ["packs"], "packs-list": ["packs", "list"], "packs-check": ["packs", "check"]}


def help_text(args: list[str]) -> str:
    res = CliRunner().invoke(app, [*args, "--help"], prog_name="redactaudit", env={"COLUMNS": "80"})
    assert res.exit_code == 0
    return res.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_help_is_exactly_the_reviewed_text(name):
    assert help_text(COMMANDS[name]) == (HELP / f"{name}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_examples_readable_metavars_and_help_for_every_option(name):
    text = help_text(COMMANDS[name])
    assert re.search(r"\n  Examples?:\n    redactaudit ", text)
    for bad in ("<list", "<bool>", "<str>", "<int>", "<path>", "{paths}", "TEXT", "INTEGER", " PATH ", "67108864]"):
        assert bad not in text, bad
    options = text.split("\nOptions:\n", 1)[1].split("\nCommands:\n", 1)[0]
    # Each option's first line has its help on it or on the next line (a long choice list pushes it down).
    entries = re.split(r"\n(?=  -)", options.strip("\n"))
    for entry in entries:
        assert len(entry.split(None, 1)) == 2 and re.search(r"[a-z]{3}", entry.split("  ", 2)[-1]), entry


def test_scan_options_say_their_default():
    text = help_text(["scan"]).split("\nOptions:\n", 1)[1]
    for option in ("--format", "--output", "--fail-on", "--min-severity", "--include-masks", "--color", "--progress",
                   "--show-values", "--config", "--include", "--exclude", "--pack", "--encoding", "--max-bytes",
                   "--baseline", "--skip-unreadable", "--timeout"):
        entry = re.split(rf"(?<=[ ,]){re.escape(option)}(?=[ /\n])", text, maxsplit=1)[1].split("\n  -", 1)[0]
        assert "default" in entry, option


if __name__ == "__main__":
    for name, args in COMMANDS.items():
        (HELP / f"{name}.txt").write_text(help_text(args), encoding="utf-8")
    sys.exit(0)
