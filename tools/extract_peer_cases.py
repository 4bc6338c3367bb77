#!/usr/bin/env python3
"""Extract other projects' own test vectors into bench/peer_cases.jsonl (run by hand, offline).

Usage: python tools/extract_peer_cases.py PRESIDIO_GIT STDNUM_GIT SCRUBADUB_GIT [NOTES] > new.jsonl

Each argument is a bare git directory (a clone); files are read with `git show HEAD:path`. Only
the test vectors are taken (text, expected spans), with their source file and line; no code.
Presidio's parametrized tuples are read with `ast` (never imported or run); python-stdnum's
doctests and scrubadub's BEFORE/AFTER docstrings are read as text. Deliberate disagreements are
written by hand into bench/peer_cases.jsonl (`disagree`); pass that file as NOTES and they are
carried over to the cases with the same source, file, entity, text and expected spans.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

PRESIDIO = {  # test file -> the entity it tests, in redactaudit's categories
    "presidio-analyzer/tests/test_credit_card_recognizer.py": "bankcard",
    "presidio-analyzer/tests/test_email_recognizer.py": "email",
    "presidio-analyzer/tests/test_iban_recognizer.py": "iban",
    "presidio-analyzer/tests/test_ip_recognizer.py": "ip",
    "presidio-analyzer/tests/test_phone_recognizer.py": "phone",
    "presidio-analyzer/tests/test_us_ssn_recognizer.py": "ssn",
}
SCRUBADUB = {
    "tests/test_detector_credit_card.py": "bankcard",
    "tests/test_detector_emails.py": "email",
    "tests/test_detector_phone_numbers.py": "phone",
    "tests/test_detector_en_US_social_security_number.py": "ssn",
}
STDNUM = {"tests/test_cn_ric.doctest": "idcard", "tests/test_cn_uscc.doctest": "uscc",
          "tests/test_iban.doctest": "iban"}


def show(git_dir: str, path: str) -> str:
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"HEAD:{path}"], check=True,
                          capture_output=True, text=True).stdout


def commit(git_dir: str) -> str:
    return subprocess.run(["git", "--git-dir", git_dir, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()


def case(source: str, path: str, line: int, entity: str, text: str, spans: list[list[int]], **extra):
    out = {"source": source, "file": path, "line": line, "entity": entity, "text": text,
           "expected": spans, "positive": bool(spans)}
    out.update(extra)
    return out


def presidio(git_dir: str):
    for path, entity in PRESIDIO.items():
        tree = ast.parse(show(git_dir, path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            for deco in node.decorator_list:
                if not (isinstance(deco, ast.Call) and getattr(deco.func, "attr", "") == "parametrize"):
                    continue
                names = [n.strip() for n in ast.literal_eval(deco.args[0]).split(",")]
                if not isinstance(deco.args[1], ast.List):
                    continue
                for elt in deco.args[1].elts:
                    try:
                        values = dict(zip(names, ast.literal_eval(elt)))
                    except ValueError:
                        continue
                    if values.get("leniency", 1) != 1:
                        continue  # the recognizer's default leniency only
                    text = values.get("text", values.get("iban"))
                    count = values["expected_len"]
                    spans = values.get("expected_positions", values.get("expected_res", ()))
                    spans = [list(s) for s in spans]
                    if count and not spans:  # a count without positions: the whole text
                        spans = [[0, len(text)]] if count == 1 else []
                    if count and len(spans) != count:
                        continue
                    extra = {}
                    scores = values.get("expected_score_ranges") or ()
                    if scores and all(isinstance(hi, float) and hi < 0.5 for _, hi in scores):
                        extra["peer_weak"] = True  # Presidio itself scores every span below 0.5
                    yield case("presidio", path, elt.lineno, entity, text, spans, **extra)


def stdnum(git_dir: str):
    for path, entity in STDNUM.items():
        lines = show(git_dir, path).splitlines()
        block: str | None = None  # 'valid' / 'invalid' while reading a numbers = ''' list
        for i, line in enumerate(lines, 1):
            m = re.match(r">>> \w+\.(validate|get_birth_place)\('([^']*)'\)", line)
            if m:
                raises = i < len(lines) and lines[i].startswith("Traceback")
                value = m.group(2)
                yield case("python-stdnum", path, i, entity, value, [] if raises else [[0, len(value)]])
                continue
            if line.startswith(">>> numbers = '''"):
                # the list's verdict is in the line after it closes
                j = i
                while not lines[j].startswith("... '''"):
                    j += 1
                verdict = lines[j + 1]
                block = "invalid" if ("if x and " + entity.replace("idcard", "ric") + ".is_valid(x)]") in verdict \
                    or "if x and iban.is_valid(x)" in verdict or "if x and uscc.is_valid(x)" in verdict else "valid"
                if "check_country=False" in verdict:
                    block = "invalid"
                continue
            if block and line.startswith("... '''"):
                block = None
                continue
            if block and line.startswith("... ") and line[4:].strip():
                value = line[4:].strip()
                yield case("python-stdnum", path, i, entity, value, [[0, len(value)]] if block == "valid" else [])


def scrubadub(git_dir: str):
    for path, entity in SCRUBADUB.items():
        src = show(git_dir, path)
        lines = src.splitlines()
        template = None
        for i, line in enumerate(lines, 1):
            m = re.match(r"\s*BEFORE: (.*)$", line)
            if m and i < len(lines):
                before = m.group(1)
                after = re.match(r"\s*AFTER:\s+(.*)$", lines[i]).group(1)
                if "%s" in before:
                    template = before
                    continue
                yield from _before_after(path, i, entity, before, after)
            m = re.match(r"\s*'([^']+)',$", line)
            if m and template:
                yield from _before_after(path, i, entity, template % m.group(1), "My phone number is {{PHONE}}")
            m = re.match(r"\s*u'(Call me on[^']*)'", line)
            if m and "{{" not in m.group(1):  # the expected output is not a case
                text = m.group(1)
                spans = [[mm.start(), mm.end()] for mm in re.finditer(r"\d{3}\.\d{3}\.\d{4}", text)]
                yield case("scrubadub", path, i, entity, text, spans)


def _before_after(path, line, entity, before, after):
    head, _, tail = after.partition("{{")
    tail = tail.partition("}}")[2]
    assert before.startswith(head) and before.endswith(tail), (before, after)
    yield case("scrubadub", path, line, entity, before, [[len(head), len(before) - len(tail)]])


def _key(item: dict) -> tuple:
    return item["source"], item["file"], item["entity"], item["text"], json.dumps(item["expected"])


def main() -> None:
    p, s, c = sys.argv[1:4]
    notes = {}
    if len(sys.argv) > 4:
        with open(sys.argv[4], encoding="utf-8") as f:
            notes = {_key(d): d["disagree"] for d in map(json.loads, f) if d.get("disagree")}
    meta = {"presidio": commit(p), "python-stdnum": commit(s), "scrubadub": commit(c)}
    for gen, src in ((presidio(p), "presidio"), (stdnum(s), "python-stdnum"), (scrubadub(c), "scrubadub")):
        for item in gen:
            item["commit"] = meta[src]
            if _key(item) in notes:
                item["disagree"] = notes[_key(item)]
            print(json.dumps(item, ensure_ascii=False))


if __name__ == "__main__":
    main()
