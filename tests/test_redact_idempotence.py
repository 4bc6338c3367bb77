"""Redacting a redacted document changes nothing, for every preset (issue 11): the known ways it
did, each a regression test named after the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from redactaudit.audit import RedactOptions, redact
from redactaudit.config import Config
from redactaudit.policy import load_policy
from redactaudit.redact.edits import apply_edits

PRESETS = ("zh-gov", "zh-court", "en-basic")


def redact_text(text: str, preset: str, ruleset, tmp_path: Path, name: str = "t.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = redact([str(path)], ruleset, Config(), load_policy(preset), RedactOptions(dry_run=True))
    (item,) = result.files
    assert apply_edits(text, list(item.edits)) == item.text  # the log's edits give the output
    return item.text, result


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("text", [
    "报告人张张张张某同志。\n",                # a surname run before a mask: 张某某 then 某某
    "【姓名】【姓名】【姓名】 abc\n",           # Chinese tokens first, English ones on the next pass
    "经办人：【姓名】【姓名】，ok\n",
    "原告吴××××住址××××××电话13912345678身份证号450103198505051239\n",  # tokens side by side
    "原告原告赵诉被告刘建华。\n",
])
def test_redacting_a_redacted_document_changes_nothing(text, preset, ruleset, tmp_path):
    once, _ = redact_text(text, preset, ruleset, tmp_path, "a.txt")
    twice, again = redact_text(once, preset, ruleset, tmp_path, "b.txt")
    assert twice == once
    assert [f.edits for f in again.files] == [()]


def test_surname_run_before_a_mask_settles_in_one_run(ruleset, tmp_path):
    assert redact_text("报告人张张张张某同志。\n", "zh-gov", ruleset, tmp_path)[0] == "报告人某某同志。\n"


def test_label_masks_in_a_chinese_document_keep_chinese_tokens(ruleset, tmp_path):
    text = "【姓名】【姓名】【姓名】：XX\n"
    once, _ = redact_text(text, "zh-gov", ruleset, tmp_path)
    assert "[" not in once and once == redact_text(once, "zh-gov", ruleset, tmp_path, "b.txt")[0]


def test_zh_court_tokens_side_by_side_keep_their_width(ruleset, tmp_path):
    text = "原告吴××××住址××××××电话13912345678身份证号450103198505051239\n"
    once, _ = redact_text(text, "zh-court", ruleset, tmp_path)
    assert redact_text(once, "zh-court", ruleset, tmp_path, "b.txt")[0] == once


def test_a_name_already_in_surname_form_is_no_remaining_leak(ruleset, tmp_path):
    once, result = redact_text("原告原告赵诉被告刘建华。\n", "zh-court", ruleset, tmp_path)
    assert once == "原告原某诉被告刘某。\n"
    assert result.remaining == ()


LETTER = ("Dear Harold Penrose,\nWe received your request about the broken streetlights near the park. Our log "
          "lists several repeated reports from the spring. The request is assigned to Linda Brown, who answers at "
          "linda.brown@example.com.\nA reply follows within two weeks, after our engineers have inspected the site "
          "and written their report.\nRegards,\nRobert Miller\n")
MASKED_COPY = (LETTER.replace("Harold Penrose", "XXX").replace("Linda Brown", "[NAME]")
               .replace("linda.brown@example.com", "[REDACTED]").replace("Robert Miller", "█████"))


@pytest.mark.parametrize("preset, greeting", [("en-basic", "Dear PERSON-1,"), ("zh-court", "Dear H.,")])
def test_a_pseudonym_or_initial_in_a_masked_copy_settles(preset, greeting, ruleset, tmp_path):
    # The masked copy makes the pseudonym (or the initial) a value in clear once more: it was
    # renumbered (PERSON-6, then PERSON-5) or given one more full stop (H..., H......) on every pass.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(LETTER, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(MASKED_COPY, encoding="utf-8")
    options = RedactOptions(out=tmp_path / "once")
    first = redact([str(tmp_path / "in")], ruleset, Config(), load_policy(preset), options)
    assert first.errors == () and first.remaining == ()
    assert (tmp_path / "once" / "a.txt").read_text(encoding="utf-8").splitlines()[0] == greeting
    second = redact([str(tmp_path / "once")], ruleset, Config(), load_policy(preset), RedactOptions(dry_run=True))
    assert [f.edits for f in second.files] == [(), ()]


def test_a_run_of_times_signs_before_a_digit_settles(tmp_path):
    """、××× 0 read as a mask of two and a sign made each pass add or drop a ×: it never settled."""
    from typer.testing import CliRunner

    from redactaudit.cli import app

    doc = tmp_path / "a.txt"
    doc.write_text("\nCall (415) 555-0134 today.\n**同志**同志关于问题的通报投诉人：欧阳娜娜，138****5678、* 0", encoding="utf-8")
    res = CliRunner().invoke(app, ["redact", str(doc), "--dry-run", "-p", "zh-court"])
    assert res.exit_code == 0 and "did not settle" not in res.stderr


def test_number_masks_that_pair_like_emphasis_leave_no_mask_word_as_a_name(ruleset, tmp_path):
    """Found by Hypothesis: the figures' * masks pair up like emphasis (*人某某同志全市第*), which
    unmakes the 某某 mask between them; the first 某某同志, read as a given name too, was then
    propagated there as a name: the output never settled and a fresh scan found a leak."""
    once, result = redact_text("**同志0人**同志全市第11", "zh-gov", ruleset, tmp_path)
    assert once == "某某同志*人某某同志全市第*"
    assert result.remaining == ()
    twice, again = redact_text(once, "zh-gov", ruleset, tmp_path, "b.txt")
    assert twice == once and [f.edits for f in again.files] == [()]
