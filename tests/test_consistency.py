"""The masks that leak: exact spans of each consistency check, on texts written for these tests."""

from __future__ import annotations

from redactaudit.audit import ScanOptions, audit
from redactaudit.config import Config
from redactaudit.consistency.clusters import near_duplicates
from redactaudit.consistency.copies import normalize
from redactaudit.model import Kind, Severity
from tests.conftest import make_doc
from redactaudit.audit import scan_document
from redactaudit.consistency import check_document


def checked(text, ruleset):
    report, _ = scan_document(make_doc(text), ruleset, Config(), ScanOptions(), [])
    findings, summary = check_document(report.document, list(report.findings))
    return findings, summary


def inconsistencies(findings):
    return [(f.rule, f.category, f.start, f.end) for f in findings if f.kind is Kind.INCONSISTENCY]


def test_mask_length_two_widths_before_the_same_word(ruleset):
    text = "会议由**同志主持，***同志讲话。"
    findings, summary = checked(text, ruleset)
    got = [f for f in findings if f.rule == "consistency.mask-length"]
    assert [(f.category, f.start, f.end) for f in got] == [("person", 3, 5)]
    assert [(r.start, r.end, r.note) for r in got[0].related] == [(3, 5, "width 2"), (10, 13, "width 3")]
    assert summary["failed_checks"] == ["consistency.mask-length"]


def test_widths_before_different_words_are_two_habits_not_a_leak(ruleset):
    findings, _ = checked("关于某县*起问题的通报。该干部先后**次收受财物。", ruleset)
    assert [f for f in findings if f.rule == "consistency.mask-length"] == []


def test_mask_style(ruleset):
    text = "在**县调研，XX县的同志参加。"
    findings, _ = checked(text, ruleset)
    assert inconsistencies(findings) == [("consistency.mask-style", "place", 1, 3)]


def test_partial_mask_keeping_too_much(ruleset):
    text = "手机138*2345678。"
    findings, _ = checked(text, ruleset)
    assert inconsistencies(findings) == [("consistency.partial-mask", "phone", 2, 13)]


def test_value_in_a_masks_own_slot(ruleset):
    text = "我们要建设美丽**的新家园。我们要建设美丽青山的新家园。"
    findings, _ = checked(text, ruleset)
    start = text.index("青山")
    got = [f for f in findings if f.rule == "consistency.revealed-elsewhere"]
    assert [(f.start, f.end, f.severity) for f in got] == [(start, start + 2, Severity.ERROR)]
    assert [(r.start, r.end) for r in got[0].related] == [(7, 9)]


def test_masked_category_in_clear_is_escalated(ruleset):
    text = "关于XX县的通报\n近日，田阳县纪委通报了一起案件。"
    findings, _ = checked(text, ruleset)
    start = text.index("田阳")
    leak = [f for f in findings if f.kind is Kind.LEAK]
    assert [(f.rule, f.start, f.end, f.severity) for f in leak] == [
        ("places-zh.name-suffix", start, start + 2, Severity.ERROR)]
    assert inconsistencies(findings) == [("consistency.revealed-elsewhere", "place", start, start + 2)]


def test_an_escalated_leak_is_the_leak_with_its_new_severity_reasons_and_spans(ruleset):
    from dataclasses import replace

    from redactaudit.consistency.within import _escalate

    findings, _ = checked("关于XX县的通报\n近日，田阳县纪委通报了一起案件。", ruleset)
    for f in findings:  # every field, in order: made directly, as dataclasses.replace would
        why, related = f.why + f.why[:1], f.related + f.related[:1]
        assert _escalate(f, why, related) == replace(f, severity=Severity.ERROR, why=why, related=related)


SPEECH = ("在全区乡村振兴工作推进会上的讲话\n同志们：\n今天召开会议，主要任务是总结去年工作。刚才，**同志通报了情况，"
          "***同志作了具体部署，我完全同意。过去一年，全区新建高标准农田**万亩，带动农户增收。"
          "下面，我讲三点意见。一是提高站位，二是压实责任，三是强化保障，确保各项任务落地见效。\n")


def test_copies_are_aligned_and_a_filled_mask_is_a_leak(tmp_path):
    (tmp_path / "a_word.txt").write_text(SPEECH, encoding="utf-8")
    leaked = SPEECH.replace("***同志", "王立群同志")
    # The PDF copy: hard-wrapped at 20 characters, half-width punctuation.
    wrapped = "\n".join(leaked[i:i + 20] for i in range(0, len(leaked), 20)).replace("，", ",").replace("：", ":")
    (tmp_path / "b_pdf.txt").write_text(wrapped, encoding="utf-8")
    from redactaudit.audit import load_ruleset

    result = audit([str(tmp_path)], load_ruleset(Config()), Config())
    pdf = [r for r in result.documents if r.document.path.endswith("b_pdf.txt")][0]
    cross = [f for f in pdf.findings if f.rule == "consistency.cross-document"]
    start = pdf.document.text.index("王")
    end = pdf.document.text.index("群") + 1
    assert [(f.start, f.end, f.severity) for f in cross] == [(start, end, Severity.ERROR)]
    mask_at = SPEECH.index("***")
    assert [(r.path.rsplit("/", 1)[1], r.start, r.end) for r in cross[0].related] == [
        ("a_word.txt", mask_at, mask_at + 3)]
    assert pdf.consistency["copies"][0]["path"].endswith("a_word.txt")


def test_unrelated_documents_are_not_paired():
    a = normalize(SPEECH).text
    b = normalize("关于开展安全生产大检查的通知。各单位要高度重视，认真组织自查自纠，及时消除隐患，确保安全。" * 3).text
    c = normalize(SPEECH.replace("**同志", "某某同志")).text
    assert [(i, j) for i, j, _ in near_duplicates([a, b, c])] == [(0, 2)]


def test_person_masks_are_compared_whatever_word_follows(ruleset):
    text = "省市领导高度重视，*亲自作出批示，***书记听取了汇报。"
    findings, _ = checked(text, ruleset)
    got = [f for f in findings if f.rule == "consistency.mask-length"]
    assert [(f.category, f.start, f.end) for f in got] == [("person", 9, 10)]
    assert [r.note for r in got[0].related] == ["width 1", "width 3"]


def test_short_copies_are_paired():
    # Regression: with too few anchor characters a 150-character notice had 3 shingles and its copy
    # was never found.
    a = "在XX市XX年度作风建设推进会议上的发言。去年以来，全市纪检监察系统共受理*件，约谈*人，追缴违纪款*万元。"
    b = a.replace("XX年度", "399年度")
    assert [(i, j) for i, j, _ in near_duplicates([normalize(a).text, normalize(b).text])] == [(0, 1)]


def test_mask_length_lists_masks_of_one_length_in_a_fixed_order(ruleset):
    """Masks of one width were listed in the order of a set of strings (it changed with the hash seed)."""
    from redactaudit.audit import ScanOptions, audit_documents
    from redactaudit.config import Config
    from redactaudit.model import Document

    text = "刚才，＊＊同志和**同志讲话，***同志主持。\n"
    result = audit_documents([Document("a.txt", text, "utf-8", "\n")], ruleset, Config(), ScanOptions())
    [f] = [f for f in result.findings if f.rule == "consistency.mask-length"]
    assert "(** ＊＊ ***)" in f.message


def test_a_fragment_of_a_latin_word_is_no_value_in_clear(tmp_path):
    # Regression (Hypothesis): the alignment matched "ER" of a pseudonym with "ER" of a label in the
    # other copy, left "P" facing "XXX。[NUMB", and "P" was reported in clear; redaction then
    # rewrote the P inside PERSON-2 on every pass and never settled.
    tail = "件We received your request about the broken streetlights near the park. "
    (tmp_path / "a.txt").write_text("The request is assigned to PERSON-1, 经办人：PERSON-2。27" + tail,
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("The request is assigned to PERSON-1, 经办人：XXX。[NUMBER]" + tail,
                                    encoding="utf-8")
    from redactaudit.audit import load_ruleset

    result = audit([str(tmp_path)], load_ruleset(Config()), Config())
    cross = [(r.document.path.rsplit("/", 1)[1], f.start, f.end, f.text) for r in result.documents
             for f in r.findings if f.rule == "consistency.cross-document"]
    assert cross == []  # "27" faces no mask of its own in this alignment: the rules report it



def test_a_text_with_a_lone_surrogate_is_sampled_and_a_large_one_a_piece_at_a_time():
    import zlib

    from redactaudit.consistency.copies import _PIECE, _SHINGLES, folded_text, sample_text

    assert len(sample_text("在会议上的讲话" * 3 + "\ud800" + "在会议上的讲话" * 3).shingles) > 0  # raised before
    # A text longer than a piece gives the sample its pieces would give as one: no shingle lost
    # or added where the pieces meet.
    unit = "刚才，**同志在会议上的讲话，全县共有12个乡镇参加。"
    text = unit * (_PIECE // len(unit) + 3)
    whole = {zlib.crc32(s.encode()) for s in _SHINGLES.findall(folded_text(text))}
    assert list(sample_text(text).shingles) == sorted(whole)


def test_x_masks_written_in_two_cases_are_a_style_mix(ruleset):
    # Two hands (or two passes) masked this text: xx in one place, XX in another.
    text = "传达了市委xx书记的讲话精神，XX县区领导班子要认真落实。"
    findings, summary = checked(text, ruleset)
    got = [f for f in findings if f.rule == "consistency.mask-style"]
    lower, upper = text.index("xx"), text.index("XX")
    assert [(f.start, f.end) for f in got] == [(lower, lower + 2)]
    assert [(r.start, r.end, r.note) for r in got[0].related] == [(lower, lower + 2, "lower case"),
                                                                    (upper, upper + 2, "upper case")]
    assert "consistency.mask-style" in summary["failed_checks"]


def test_x_masks_in_one_case_and_one_letter_words_are_no_style_mix(ruleset):
    for text in ("传达了市委XX书记的讲话精神，XX县区领导班子要认真落实。", "市委xx书记到xx县调研。",
                 "He was born in XX County and moved to Room 3 of X Building."):
        findings, _ = checked(text, ruleset)
        assert [f for f in findings if f.rule == "consistency.mask-style"] == [], text


def test_masks_before_a_house_or_case_number_in_two_widths_tell_the_digits(ruleset):
    text = "原告住某村X组xxx号。被告住某村X组xx号。"
    findings, _ = checked(text, ruleset)
    got = [f for f in findings if f.rule == "consistency.mask-length"]
    first, second = text.index("xxx"), text.index("xx号", text.index("被告"))
    assert [(f.category, f.start) for f in got] == [("number", first)]
    assert [(r.start, r.end) for r in got[0].related] == [(first, first + 3), (second, second + 2)]


def test_one_mask_never_carries_two_findings_of_one_rule(ruleset):
    # Regression: a style mix of one category and X masks in two cases both anchored at the first
    # mask, with one rule and so one fingerprint: tools that key on it saw one finding.
    text = "会议由xx同志主持，XX同志发言，**同志讲话。"
    findings, _ = checked(text, ruleset)
    got = [(f.rule, f.start, f.end) for f in findings if f.rule == "consistency.mask-style"]
    assert got == [("consistency.mask-style", 3, 5)]
