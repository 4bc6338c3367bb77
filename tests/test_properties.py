"""Properties over generated documents (Hypothesis), issue 11: a scan never raises; every span,
line and column agrees with the text; redaction is idempotent under every preset and leaves no
leak; no planted value reaches any output without --show-values.

Bounded for CI: the "ci" profile (the default here) runs EXAMPLES examples per test with no
deadline, all of them in well under a minute; HYPOTHESIS_PROFILE=long runs ten times as many.
"""

from __future__ import annotations

import functools
import io
import os
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from redactaudit.audit import RedactOptions, audit_documents, load_ruleset, redact
from redactaudit.config import Config
from redactaudit.model import LineIndex
from redactaudit.model import Document, Kind, Severity
from redactaudit.policy import load_policy
from redactaudit.redact.edits import apply_edits
from redactaudit.reporting import FORMATS, ReportOptions, render
from redactaudit.reporting.redaction import journal_line, render_diff, render_summary, write_log

EXAMPLES = {"scan": 300, "redact": 60, "copies": 30, "values": 100}
# CI runs the same examples every time (a red gate must mean a change broke something, not that
# the dice found an old bug); HYPOTHESIS_PROFILE=long explores with fresh random examples.
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
SCALE = 10 if PROFILE == "long" else 1
PRESETS = ("zh-gov", "zh-court", "en-basic")

# Made-up values, each in words that make it a finding (checked by the first property below).
PLANTED = {
    "刘建华": "经办人：{}。", "陈立新": "值班员{}，", "欧阳娜娜": "投诉人：{}，",
    "13912345678": "，手机{}。", "18677123456": "，电话{}。",
    "450103198505051239": "，身份证号{}。", "110105194912310021": "，身份证号{}。",
    "chen@example.com": "，邮箱{}。", "liu.jianhua@example.org": "，邮箱{}。",
    "6222 0210 0112 3456 789": "，卡号{}。",
    "Harold Penrose": "\nDear {},\n", "(415) 555-0134": "\nCall {} today.\n", "123-45-6789": "\nSSN {}.\n",
}
MASKS = ["**同志", "***同志", "XX县", "XX市", "某某", "张某", "欧阳某", "【姓名】", "×××", "××××", "○○", "□□",
         "138****5678", "4501**********1234", "j***@example.com", "[REDACTED]", "[电话]", "*万元", "20XX年"]
FILLER = ["关于问题的通报", "会议指出，", "要坚决整改。", "全市第11", "27件", "30余人", "1.8万元", "百分之三十",
          "The meeting was held on Monday. ", "Thanks, ", "\n", "\r\n", "。", "，", "、", "：", " "]
ALPHABET = "张王刘吴赵陈李某同志县市镇村人件元万余第年月日的了在是报告书记局长原告被告审判长" \
           "*X×○□·、，。：；！？“”()0123456789abcXYZ @.-\n\r\t"


def _joined(parts) -> str:
    return "".join(parts)


bits = st.one_of(st.sampled_from(MASKS), st.sampled_from(FILLER), st.text(alphabet=ALPHABET, max_size=8))
documents = st.lists(bits, max_size=30).map(_joined)
any_text = st.one_of(documents, st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
planted = st.lists(st.sampled_from(sorted(PLANTED)), min_size=1, max_size=4, unique=True)
leaky = st.tuples(planted, st.lists(st.lists(bits, max_size=6).map(_joined), min_size=5, max_size=5)).map(
    lambda pv: ("".join(f + PLANTED[v].format(v) for v, f in zip(pv[0], pv[1])) + pv[1][-1], pv[0]))


@functools.lru_cache(maxsize=1)
def rules():
    return load_ruleset(Config())


def scan(text: str, ruleset):
    doc = Document(path="t.txt", text=text, encoding="utf-8", newline="\n")
    return audit_documents([doc], ruleset, Config())


def redact_file(text: str, preset: str, ruleset, folder: str, name: str):
    path = Path(folder) / name
    path.write_bytes(text.encode("utf-8"))
    result = redact([str(path)], ruleset, Config(), load_policy(preset), RedactOptions(dry_run=True))
    return result


@settings(max_examples=EXAMPLES["scan"] * SCALE)
@given(text=any_text)
def test_scan_never_raises_and_every_span_agrees_with_the_text(text):
    ruleset = rules()
    result = scan(text, ruleset)
    index = LineIndex(text)
    assert result.errors == ()
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert f.text == text[f.start:f.end], f
        assert (f.line, f.column) == index.position(f.start)
        assert (f.end_line, f.end_column) == index.position(f.end)
        for r in f.related:
            assert 0 <= r.start <= r.end <= len(text) and (r.line, r.column) == index.position(r.start)


@settings(max_examples=EXAMPLES["redact"] * SCALE)
@given(text=st.one_of(documents, leaky.map(lambda tv: tv[0])))
def test_redaction_is_idempotent_for_every_preset_and_leaves_no_leak(text):
    ruleset = rules()
    with tempfile.TemporaryDirectory() as folder:
        for preset in PRESETS:
            first = redact_file(text, preset, ruleset, folder, f"{preset}.txt")
            (item,) = first.files
            assert apply_edits(text, list(item.edits)) == item.text  # the log's edits give the output
            assert first.remaining == () and first.errors == () and first.not_written == ()
            second = redact_file(item.text, preset, ruleset, folder, f"{preset}.again.txt")
            assert second.files[0].text == item.text, preset
            assert second.files[0].edits == ()
            if preset == "zh-gov":  # keeps nothing: no error-level leak of any kind is left
                again = scan(item.text, ruleset)
                assert [f for f in again.findings if f.kind is Kind.LEAK and f.severity is Severity.ERROR] == []


ENGLISH = ["We received your request about the broken streetlights near the park. ", "Our log lists ",
           "several repeated reports from the spring. ", "The request is assigned to Linda Brown, ",
           "whose desk number is ", "A reply follows within two weeks. ", "\nRegards,\nRobert Miller\n"]
COPY_MASKS = ["XXX", "[NAME]", "[REDACTED]", "█████", "**", "某某", "×××"]


@settings(max_examples=EXAMPLES["copies"] * SCALE)
@given(case=st.tuples(st.lists(st.one_of(st.sampled_from(ENGLISH), bits), min_size=3, max_size=12),
                      planted, st.randoms(use_true_random=False)))
# Found by the long profile: the alignment read the P of PERSON-2 as a value in clear.
@example(case=(["The request is assigned to Linda Brown, ", "27件", ENGLISH[0]], ["刘建华"], random.Random(0)))
def test_a_document_and_its_masked_copy_redact_to_a_fixed_point(case):
    """Two copies, values in clear in one and masked in the other (the cross-document check)."""
    ruleset = rules()
    parts, values, rnd = case
    text = "".join(p + (PLANTED[v].format(v) if v else "") for p, v in zip(parts, values + [""] * len(parts)))
    copy = text
    for v in values:
        copy = copy.replace(v, rnd.choice(COPY_MASKS))
    for preset in PRESETS:
        with tempfile.TemporaryDirectory() as folder:
            src, out = Path(folder) / "in", Path(folder) / "out"
            src.mkdir()
            (src / "a.txt").write_text(text, encoding="utf-8", newline="")
            (src / "b.txt").write_text(copy, encoding="utf-8", newline="")
            first = redact([str(src)], ruleset, Config(), load_policy(preset), RedactOptions(out=out))
            assert first.errors == () and first.not_written == (), (preset, first.errors)
            again = redact([str(out)], ruleset, Config(), load_policy(preset), RedactOptions(dry_run=True))
            assert [f.edits for f in again.files] == [(), ()], preset


@settings(max_examples=EXAMPLES["values"] * SCALE)
@given(case=leaky)
def test_no_planted_value_reaches_any_output(case):
    ruleset = rules()
    text, values = case
    result = scan(text, ruleset)
    found = {f.text for f in result.findings if f.kind is not Kind.PLACEHOLDER}
    # Only a value that is a finding can be masked; the detection gaps this property turned up are
    # test_a_gated_pass_misses_a_bank_card below, for the detection side.
    assume(set(values) <= found)
    outputs = {}
    for fmt in FORMATS:
        buf = io.StringIO()
        render(fmt, result, buf, ReportOptions(fail_on="error", failed=True, color=False))
        outputs[fmt] = buf.getvalue()
    with tempfile.TemporaryDirectory() as folder:
        for preset in PRESETS:
            res = redact_file(text, preset, ruleset, folder, f"{preset}.txt")
            for name, write in (("diff", render_diff), ("summary", render_summary), ("log", write_log)):
                buf = io.StringIO()
                write(res, buf)
                outputs[f"{preset} {name}"] = buf.getvalue()
            outputs[f"{preset} journal"] = "".join(journal_line("planned", item) for item in res.files)
            outputs[f"{preset} redacted"] = "".join(item.text for item in res.files)
    for where, out in outputs.items():
        for value in values:
            if where.startswith("zh-court") and value == "Harold Penrose" and where.endswith("redacted"):
                continue  # the SPC rule keeps a name's first letter: H.
            assert value not in out, (where, value)


def test_a_gated_pass_misses_a_bank_card():
    """A value that starts in a marked stretch and runs past its end was cut there and lost."""
    text = "\nCall (415) 555-0134 today.\n**同志***同志，卡号6222 0210 0112 3456 789。"
    result = scan(text, rules())
    assert "6222 0210 0112 3456 789" in {f.text for f in result.findings}
    buf = io.StringIO()
    render("json", result, buf, ReportOptions(fail_on="error", failed=True))
    assert "6222 0210 0112 3456 789" not in buf.getvalue()
