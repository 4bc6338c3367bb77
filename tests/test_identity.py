"""One identity per finding: the fingerprint every output, the baseline and the redaction log carry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from typer.testing import CliRunner

from redactaudit.cli import app

DOC = "值班员陈立新，手机13912345678，身份证号450103198505051239。\n刚才，**同志讲话，***同志主持。\n"


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_json_sarif_and_baseline_name_a_finding_by_one_fingerprint(tmp_path: Path):
    doc = tmp_path / "a.txt"
    doc.write_text(DOC, encoding="utf-8")
    report = json.loads(run("scan", str(doc), "-f", "json").stdout)
    sarif = json.loads(run("scan", str(doc), "-f", "sarif", "--include-masks").stdout)
    base = tmp_path / "base.json"
    assert run("baseline", "create", str(doc), "-o", str(base)).exit_code == 0
    from_json = sorted(f["fingerprint"] for f in report["findings"])
    # SARIF adds the occurrence in the file (fingerprint:n), so that two results are never one alert.
    results = sarif["runs"][0]["results"]
    from_sarif = sorted(r["partialFingerprints"]["redactaudit/content/v2"].split(":")[0] for r in results)
    assert sorted(r["properties"]["fingerprint"] for r in results) == from_sarif
    entries = json.loads(base.read_text(encoding="utf-8"))["entries"]
    from_baseline = sorted(fp for e in entries for fp in [e["fingerprint"]] * e["count"])
    assert from_json == from_sarif == from_baseline


def test_the_redaction_log_names_an_edit_by_its_finding_fingerprint(tmp_path: Path):
    doc = tmp_path / "a.txt"
    doc.write_text(DOC, encoding="utf-8")
    report = json.loads(run("scan", str(doc), "-f", "json").stdout)
    log = tmp_path / "log.jsonl"
    assert run("redact", str(doc), "--out", str(tmp_path / "out"), "--log", str(log)).exit_code == 0
    written = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    edits = [e for rec in written if rec["event"] == "written" for e in rec["edits"]]
    by_span = {(f["start"], f["end"]): f["fingerprint"] for f in report["findings"]}
    phone = DOC.index("139")
    assert [e["fingerprint"] for e in edits if e["start"] == phone] == [by_span[(phone, phone + 11)]]


def test_a_baseline_of_the_first_format_still_accepts_its_findings(tmp_path: Path):
    """Baselines written before the one identity (version 1: rule, category, path, value) load and apply."""
    import hmac

    from redactaudit.identity import DEFAULT_KEY, normalise_value

    doc = tmp_path / "a.txt"
    doc.write_text(DOC, encoding="utf-8")
    report = json.loads(run("scan", str(doc), "-f", "json", "--show-values").stdout)

    def old(*parts: str, length: int = 24) -> str:
        return hmac.digest(DEFAULT_KEY, "\x1f".join(parts).encode(), "sha256").hex()[:length]

    counts: dict = {}
    for f in report["findings"]:
        fp = old(f["rule"], f["category"], f["path"], normalise_value(f["value"]))
        counts.setdefault(fp, [f["path"], f["rule"], f["category"], 0])[3] += 1
    base = tmp_path / "old.json"
    base.write_text(json.dumps({"version": 1, "key_check": old("redactaudit-baseline-key-check", length=16),
                                "entries": [{"path": p, "rule": r, "category": c, "fingerprint": fp, "count": n}
                                            for fp, (p, r, c, n) in counts.items()]}), encoding="utf-8")
    res = run("scan", str(doc), "--baseline", str(base), "-f", "json")
    assert res.exit_code == 0
    assert json.loads(res.stdout)["findings"] == []
    # `baseline update` rewrites it with today's fingerprints.
    assert run("baseline", "update", str(doc), "-b", str(base)).exit_code == 0
    entries = json.loads(base.read_text(encoding="utf-8"))["entries"]
    assert sorted(e["fingerprint"] for e in entries for _ in range(e["count"])) == \
        sorted(f["fingerprint"] for f in report["findings"])


@pytest.mark.parametrize("key", [b"k", b"redactaudit/v1", b"k" * 64, b"k" * 65, "ключ".encode() * 30])
def test_a_keyed_hash_is_hmac_sha256_whatever_the_keys_length(key: bytes):
    """keyed_hash keeps HMAC's two padded states per key: the same hash as hmac, keys longer than
    a SHA-256 block (hashed first) included, and a file name's non-UTF-8 bytes as they are."""
    import hmac

    from redactaudit.identity import keyed_hash

    for parts in (("r",), ("names-zh.x", "a/b.txt", "陈立新"), ("r", "name\udcff.txt", "v")):
        msg = "\x1f".join(parts).encode("utf-8", "surrogateescape")
        assert keyed_hash(*parts, key=key, length=64) == hmac.digest(key, msg, "sha256").hex()


def _fingerprints(*args: str) -> list[str]:
    return sorted(f["fingerprint"] for f in json.loads(run("scan", *args, "-f", "json").stdout)["findings"])


def test_a_fingerprint_does_not_depend_on_how_the_path_was_typed(tmp_path: Path, monkeypatch):
    """docs, ./docs, docs/ and /abs/docs name one file: one fingerprint, the one of `scan docs`
    (relative to the current folder, '/' separators, no './'), so a baseline made one way gates the other."""
    from redactaudit.identity import DEFAULT_KEY, fingerprint

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(DOC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDACTAUDIT_KEY", raising=False)
    plain = _fingerprints("docs")
    assert plain and _fingerprints("./docs") == _fingerprints("docs/") == _fingerprints(str(tmp_path / "docs")) \
        == _fingerprints("./docs/a.txt") == _fingerprints(str(tmp_path / "docs" / "a.txt")) == plain
    report = json.loads(run("scan", "docs", "-f", "json", "--show-values").stdout)
    assert sorted(fingerprint(f["rule"], "docs/a.txt", f["value"], DEFAULT_KEY) for f in report["findings"]) == plain
    assert run("baseline", "create", "./docs", "-o", "base.json").exit_code == 0
    assert run("baseline", "create", str(tmp_path / "docs"), "-o", "abs.json").exit_code == 0
    assert Path("abs.json").read_bytes() == Path("base.json").read_bytes()
    assert {e["path"] for e in json.loads(Path("base.json").read_text(encoding="utf-8"))["entries"]} == {"docs/a.txt"}
    gated = run("scan", str(tmp_path / "docs"), "--baseline", "base.json", "-f", "json")
    assert gated.exit_code == 0
    assert json.loads(gated.stdout)["findings"] == []
    assert json.loads(gated.stdout)["summary"]["stale_baseline_entries"] == []


def test_a_file_outside_the_current_folder_is_fingerprinted_on_its_absolute_path(tmp_path: Path, monkeypatch):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    absolute = _fingerprints(str(tmp_path / "docs"))
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert absolute and _fingerprints("../docs") == _fingerprints("../elsewhere/../docs/") == absolute
