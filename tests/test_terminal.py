"""The terminal report as a person sees it: layout, width, colour, progress, and tmux captures of
`redactaudit scan samples/docs/` at 80 and 160 columns that must equal the saved ones in reports/."""

from __future__ import annotations

import io
import itertools
import os
import pty
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redactaudit.cli import app
from redactaudit.reporting.progress import ProgressLine

ROOT = Path(__file__).resolve().parent.parent
DOC = "关于XX县的通报\n值班员陈立新，手机13912345678。\n刚才，**同志通报了情况，***同志作了部署，XX县纪委和某某县委参加。\n"
SECRETS = ["陈立新", "13912345678"]
COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # SGR: what colours text (progress erases its line with CSI K)
_SOCKETS = itertools.count()

EXPECTED_80 = """\
a.txt  2 errors · 2 warnings · 5 masks
  utf-8, LF, 68 chars; masks: person asterisk×2; place mou×1 x-run×2
a.txt:2:4: error person  names-zh.role-name + revealed-elsewhere
    未遮蔽的姓名（角色之后）/ unmasked name after a role word
    + revealed-elsewhere: 本类已遮蔽，此处仍为明文 / the document masks person
    (2 masks) but leaves this one in clear
  │ 值班员⟨person⟩，手机⟨phone⟩。
  │       ^^^^^^^^
a.txt:2:10: error phone  identifiers.cn-mobile
    未遮蔽的手机号 / unmasked mobile number
  │ 值班员⟨person⟩，手机⟨phone⟩。
  │                     ^^^^^^^
a.txt:1:3: warning place  consistency.mask-style
    同一类别混用多种遮蔽方式 / place is masked in several styles: mou (1), x-run
    (2)
  │ 关于XX县的通报
  │     ^^
a.txt:3:4: warning person  consistency.mask-length
    遮蔽宽度不一，泄露了被遮内容的长度 / masks of person vary in width (** ***):
    the width gives away the hidden length
  │ 刚才，**同志通报了情况，***同志作了部署，XX县纪委和某某县委参加。
  │       ^^                ~~~

────────────────────────────────────────────────────────────
FAILED (fail-on error, exit 1): 2 errors, 2 warnings in 1 of 1 document
  in clear   person 1, phone 1
  masks leak mask-length 1, mask-style 1, revealed-elsewhere 1
  masks      5 existing in 1 document (summarised per document; -v lists each)
"""


def require(tool: str) -> str:
    """The tool's path; without it the test is skipped here, and fails in CI (.ci/run installs it)."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is not installed, and CI must run this test (.ci/run installs it)")
        pytest.skip(f"{tool} is not installed (Debian: apt-get install {tool}); CI installs it and runs this test")
    return path


@pytest.fixture()
def doc(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "a.txt").write_text(DOC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "a.txt"


def scan(*args: str, columns: int = 80, **env: str):
    return CliRunner().invoke(app, ["scan", *args], env={"COLUMNS": str(columns), **env}, catch_exceptions=False)


def test_rows_ranked_by_severity_one_row_per_leak_and_its_check_masks_summarised(doc):
    res = scan("a.txt")
    assert res.exit_code == 1
    assert res.stdout == EXPECTED_80


def test_verbose_lists_every_mask_after_the_findings(doc):
    res = scan("a.txt", "-v")
    assert res.stdout.split("────")[0].endswith(
        "a.txt:3:14: info person  placeholders.asterisk  已遮蔽 / existing mask\n"
        "  │ 刚才，**同志通报了情况，***同志作了部署，XX县纪委和某某县委参加。\n"
        "  │                         ^^^\n"
        "a.txt:3:24: info place  placeholders.x-run  已遮蔽 / existing mask\n"
        "  │ 刚才，**同志通报了情况，***同志作了部署，XX县纪委和某某县委参加。\n"
        "  │                                          ^^\n"
        "a.txt:3:30: info place  placeholders.mou  已遮蔽 / existing mask\n"
        "  │ 刚才，**同志通报了情况，***同志作了部署，XX县纪委和某某县委参加。\n"
        "  │                                                    ^^^^\n\n")
    assert scan("a.txt", "--min-severity", "info").stdout == res.stdout
    assert "masks      5 existing in 1 document\n" in res.stdout


def test_no_line_is_wider_than_the_terminal(doc):
    from rich.cells import cell_len

    for columns in (40, 60, 80, 120):
        out = scan("a.txt", "-v", columns=columns).stdout
        assert max(cell_len(line) for line in out.splitlines()) <= columns, columns


def test_a_long_line_is_cut_around_the_finding_never_inside_a_masked_value(tmp_path, monkeypatch):
    filler = "全体干部职工务必主动担当作为，坚持实事求是，推动工作落细落实。" * 3
    (tmp_path / "b.txt").write_text(f"{filler}联系电话13912345678。{filler}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = scan("b.txt", columns=60).stdout
    assert out.split("\n")[2:6] == [
        "b.txt:1:98: error phone  identifiers.cn-mobile",
        "    未遮蔽的手机号 / unmasked mobile number",
        "  │ …落实。联系电话⟨phone⟩。全体干部职工务必主动担当作为，…",
        "  │                ^^^^^^^"]


def test_colour_only_when_asked_or_on_a_terminal(doc):
    assert "\x1b[" not in scan("a.txt").stdout  # not a terminal
    assert "\x1b[1;31merror\x1b[0m" in scan("a.txt", "--color", "always").stdout
    assert "\x1b[" not in scan("a.txt", "--color", "never").stdout


def _on_a_terminal(args: list[str], cwd: Path, **env: str) -> str:
    """stdout and stderr of the command line run on a pseudo-terminal of 80 columns."""
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 80, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    proc = subprocess.Popen([sys.executable, "-m", "redactaudit", *args], cwd=cwd, stdout=slave, stderr=slave,
                            env={**environ, **env})
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait()
    os.close(master)
    return b"".join(chunks).decode("utf-8")


def test_colour_codes_on_a_terminal_none_when_piped_none_with_no_color(doc):
    on_terminal = _on_a_terminal(["scan", "a.txt"], doc.parent)
    assert "\x1b[1;31merror\x1b[0m" in on_terminal
    piped = subprocess.run([sys.executable, "-m", "redactaudit", "scan", "a.txt"], cwd=doc.parent,
                           capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "COLUMNS"})
    assert piped.returncode == 1 and "\x1b" not in piped.stdout + piped.stderr
    assert not COLOUR.search(_on_a_terminal(["scan", "a.txt"], doc.parent, NO_COLOR="1"))
    assert "\x1b[1;31merror" in _on_a_terminal(["scan", "a.txt", "--color", "always"], doc.parent, NO_COLOR="1")


def test_values_never_reach_the_terminal(doc):
    for args in (["a.txt"], ["a.txt", "-v"], ["a.txt", "--color", "always"]):
        out = scan(*args).stdout
        for secret in SECRETS:
            assert secret not in out


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_line_after_a_moment_then_erased():
    out, clock = io.StringIO(), _Clock()
    line = ProgressLine(out, clock=clock)
    doc = 3_000_000  # bytes
    line(doc, 1, 4, 7)
    assert out.getvalue() == ""  # a run shorter than a moment shows nothing
    clock.now = 1.0
    line(doc, 2, 4, 9)
    assert out.getvalue() == "\r\x1b[Kscanning 2/4 files · 6.0 MB/s · 9 findings"
    clock.now = 1.05
    line(doc, 3, 4, 9)  # redrawn at most ten times a second
    assert out.getvalue().count("scanning") == 1
    line(None, 4, 4, 12)
    assert out.getvalue().endswith("\r\x1b[Kcomparing copies of 4 files · 12 findings so far")
    line.close()
    assert out.getvalue().endswith("\r\x1b[K")


def test_no_progress_when_standard_error_is_not_a_terminal(doc):
    res = subprocess.run([sys.executable, "-m", "redactaudit", "scan", "a.txt", "-f", "json"], cwd=doc.parent,
                         capture_output=True, text=True)
    assert res.stderr == ""


def _tmux(width: int, command: str, escapes: bool = False, **env: str) -> str:
    """What a tmux pane of `width` columns shows after `command` ran in it (-e: with its colours)."""
    tmux = require("tmux")
    socket = f"rep_test_{os.getpid()}_{next(_SOCKETS)}"
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES", "TMUX")}
    environ.update(LC_ALL="C.UTF-8", **env)
    done = "__redactaudit_done__"
    script = f"cd {ROOT} && {command}; echo {done}; sleep 60"
    subprocess.run([tmux, "-u", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", str(width), "-y", "400",
                    "sh", "-c", script], check=True, env=environ)
    try:
        deadline = time.monotonic() + 60
        while True:
            shown = subprocess.run([tmux, "-u", "-L", socket, "capture-pane", "-p", *(["-e"] if escapes else []),
                                    "-S", "0"], capture_output=True, text=True, check=True, env=environ).stdout
            if done in shown or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        subprocess.run([tmux, "-L", socket, "kill-server"], capture_output=True, env=environ)
    assert done in shown, shown
    return shown[:shown.index(done)].rstrip("\n") + "\n"


@pytest.mark.parametrize("width", [80, 160])
def test_tmux_capture_of_the_samples_scan_is_the_saved_one(width):
    command = f"{sys.executable} -m redactaudit scan samples/docs/"
    captured = _tmux(width, command)
    saved = (ROOT / "reports" / f"samples.{width}.txt").read_text(encoding="utf-8")
    assert captured == saved, f"reports/samples.{width}.txt differs from what a {width}-column terminal shows"


def test_tmux_pane_shows_colour_and_the_same_text(tmp_path):
    coloured = _tmux(80, f"{sys.executable} -m redactaudit scan samples/docs/", escapes=True)
    assert "\x1b[" in coloured
    plain = _tmux(80, f"NO_COLOR=1 {sys.executable} -m redactaudit scan samples/docs/", escapes=True)
    assert not COLOUR.search(plain)
    assert COLOUR.sub("", coloured) == plain
