"""Exact spans for masks and identifiers, on texts written for these tests."""

from __future__ import annotations

import pytest

from redactaudit.engine.detect import detect
from tests.conftest import make_doc, spans


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def test_placeholders_with_categories(ruleset):
    text = "关于XX县*起问题的通报。**镇***村原支书×××截留资金**万元，满意度*%。刚才，某某同志讲话，王某某作证。"
    found = detect(make_doc(text), ruleset)
    got = [(f.rule, f.start, f.end, f.category, f.style, f.width) for f in found]
    assert got == [
        ("placeholders.x-run", *at(text, "XX"), "place", "x-run", 2),
        ("placeholders.asterisk", *at(text, "*"), "number", "asterisk", 1),
        ("placeholders.asterisk", *at(text, "**"), "place", "asterisk", 2),
        ("placeholders.asterisk", *at(text, "***"), "place", "asterisk", 3),
        ("placeholders.times", *at(text, "×××"), "person", "times", 3),
        ("placeholders.asterisk", *at(text, "**万元")[:1], at(text, "**万元")[0] + 2, "money", "asterisk", 2),
        ("placeholders.asterisk", *at(text, "*%")[:1], at(text, "*%")[0] + 1, "percent", "asterisk", 1),
        ("placeholders.mou", *at(text, "某某"), "person", "mou", 2),
        ("placeholders.surname-mou", *at(text, "王某某"), "person", "mou", 2),
    ]


@pytest.mark.parametrize("text", [
    "计算2*3=6和3×4=12。", "* 第一项\n* 第二项", "**Important** note", "二〇一九年", "穿XXL码的Xbox玩家",
    "拍X光片", "某些情况下，某种程度，某一方面", "□是 □否", "see footnote*", "担任某职务",
])
def test_not_placeholders(ruleset, text):
    assert spans(detect(make_doc(text), ruleset), "placeholder") == []


def test_partial_masks_win_over_runs(ruleset):
    text = "手机138****5678，身份证4501**********1234，卡号6222 **** **** 1234，邮箱j***@example.com。"
    got = spans(detect(make_doc(text), ruleset))
    assert got == [
        ("placeholders.partial-mobile", *at(text, "138****5678"), "138****5678"),
        ("placeholders.partial-id", *at(text, "4501**********1234"), "4501**********1234"),
        ("placeholders.partial-card", *at(text, "6222 **** **** 1234"), "6222 **** **** 1234"),
        ("placeholders.partial-email", *at(text, "j***@example.com"), "j***@example.com"),
    ]


def test_labels_and_english_masks(ruleset):
    text = "Dear XXX,\nYour case went to [NAME] in XX County; * complaints; [邮箱已隐去]; SSN ***-**-1234.\n█████"
    got = [(f.rule, f.start, f.end, f.category) for f in detect(make_doc(text), ruleset)]
    assert got == [
        ("placeholders.latin-x", *at(text, "XXX"), "person"),
        ("placeholders.label", *at(text, "[NAME]"), "person"),
        ("placeholders.latin-x", at(text, "XX County")[0], at(text, "XX County")[0] + 2, "place"),
        ("placeholders.latin-x", at(text, "* c")[0], at(text, "* c")[0] + 1, "number"),
        ("placeholders.label", *at(text, "[邮箱已隐去]"), "email"),
        ("placeholders.masked-ssn", *at(text, "***-**-1234"), "ssn"),
        ("placeholders.block", *at(text, "█████"), "unknown"),
    ]


def test_identifiers_are_validated(ruleset):
    text = ("手机13912345678，座机(0771)5881234，身份证450103198505051239，假身份证450103198505051238，"
            "卡号6222 0210 0112 3456 789，QQ号873624511，编号873624511，邮箱chen@example.com，"
            "车牌桂A·7K2N9，SSN 041-58-2906，电话(529) 486-2731，IP 203.0.113.45，版本3.10.2。")
    got = spans(detect(make_doc(text), ruleset))
    assert got == [
        ("identifiers.cn-mobile", *at(text, "13912345678"), "13912345678"),
        ("identifiers.cn-landline", *at(text, "(0771)5881234"), "(0771)5881234"),
        ("identifiers.cn-resident-id", *at(text, "450103198505051239"), "450103198505051239"),
        # Right after an ID word, an ID-shaped number is reported even with a wrong check digit.
        ("identifiers.cn-resident-id-cued", *at(text, "450103198505051238"), "450103198505051238"),
        ("identifiers.bank-card", *at(text, "6222 0210 0112 3456 789"), "6222 0210 0112 3456 789"),
        ("identifiers.qq", *at(text, "873624511"), "873624511"),
        ("identifiers.email", *at(text, "chen@example.com"), "chen@example.com"),
        ("identifiers.cn-plate", *at(text, "桂A·7K2N9"), "桂A·7K2N9"),
        ("identifiers.us-ssn", *at(text, "041-58-2906"), "041-58-2906"),
        ("identifiers.us-phone", *at(text, "(529) 486-2731"), "(529) 486-2731"),
        ("identifiers.ip-address", *at(text, "203.0.113.45"), "203.0.113.45"),
    ]


def test_value_cut_by_a_hard_wrap_is_found_with_both_parts(ruleset):
    middle = "固定的宽度上，举报邮箱是chen.lixin@exa"
    width = len(middle)
    first = ("这是一份从文件中提取出来的文本，每一行都被截断在同一个宽度" * 2)[:width]
    last = ("mple.com，请注意核对，这一行也是同样的宽度" + "。" * width)[:width]
    text = "\n".join([first, middle, last, first, "结束。"])
    found = [f for f in detect(make_doc(text), ruleset) if f.rule == "identifiers.email"]
    assert [(f.start, f.end, f.line, f.end_line) for f in found] == [
        (text.index("chen"), text.index(".com") + 4, 2, 3)]
    assert found[0].text == "chen.lixin@exa\nmple.com"


def test_a_mask_in_a_list_of_names_hides_a_name(ruleset):
    text = "参加人员：张国庆、**、刘洋、***\n"
    got = [(f.rule, f.text, f.category) for f in detect(make_doc(text), ruleset)]
    assert got == [("names-zh.enumeration", "张国庆", "person"), ("placeholders.asterisk", "**", "person"),
                   ("names-zh.enumeration", "刘洋", "person"), ("placeholders.asterisk", "***", "person")]


@pytest.mark.parametrize("text, mask", [
    ("某某同志*人某某同志全区第*", "某某"),      # a mask word found as a name, then propagated
    ("会上 *大家，某某同志讲话* 结束", "某某"),  # emphasis unmakes the mask: a name rule reads it
    ("会上 *大家，〇〇同志讲话* 结束", "〇〇"),
    ("会上 *大家，张某讲话* 结束", "张某"),      # the surname form that zh-court writes
    ("会上 *大家，欧阳某讲话* 结束", "欧阳某"),
])
def test_a_mask_word_is_never_a_leak(ruleset, text, mask):
    found = detect(make_doc(text), ruleset)
    assert [(f.rule, f.start, f.end) for f in found if f.kind.value in ("leak", "inconsistency")] == []


MASK_READER = """
pack: mine
rules:
  - id: mine.two-before-tongzhi
    kind: leak
    category: person
    regex: '(?P<value>[^\\\\P{Han}同]{2})同志'
    severity: error
    message: name
    examples: {match: ["张三同志"]}
"""


def test_no_rule_of_any_pack_reads_a_mask_word_as_a_leak():
    """Any rule, not only the built-in names: a value of mask characters only is no leak."""
    from redactaudit.engine.packs import build_ruleset, builtin_packs, parse_pack

    ruleset = build_ruleset(builtin_packs() + (parse_pack(MASK_READER, "mine.yaml"),))
    text = "会上 *大家，某某同志讲话* 结束。王五同志"
    found = detect(make_doc(text), ruleset)
    assert [(f.rule, f.start, f.end) for f in found if f.kind.value == "leak"] == [
        ("mine.two-before-tongzhi", *at(text, "王五"))]


def test_a_table_row_runs_on_over_its_cells_paragraphs_and_a_new_header_still_starts_a_table(ruleset):
    text = ("序号\t姓名\t职务\n1\t杜春生\n（联络员）\t科员\n2\t韩雪梅\t副科长\n兼出纳\n3\t卢建平\t科员\n"
            "姓名\t电话\n邵丽娟\t略\n")  # a narrower table right after: its header is a header
    found = [(f.rule, f.start, f.end) for f in detect(make_doc(text), ruleset) if f.kind.value == "leak"]
    assert found == [("names-zh.table-column", *at(text, v)) for v in ("杜春生", "韩雪梅", "卢建平", "邵丽娟")]


def test_html_cells_of_several_paragraphs_keep_their_rows(ruleset):
    from redactaudit.formats.html import extract_html

    html = ("<table><tr><th>姓名</th><th>备注</th></tr><tr><td><p>杜春生</p><p>（联络员）</p></td><td>无</td></tr>"
            "<tr><td>韩雪梅</td><td>调出<br>已交接</td></tr><tr><td>卢建平</td><td>无</td></tr></table>")
    text = extract_html(html).text
    found = [(f.rule, f.start, f.end) for f in detect(make_doc(text), ruleset) if f.kind.value == "leak"]
    assert found == [("names-zh.table-column", *at(text, v)) for v in ("杜春生", "韩雪梅", "卢建平")]


@pytest.mark.parametrize("text, found, other", [
    ("原告陈明辉诉被告。此外，陳明輝与本案无关。", "陈明辉", "陳明輝"),   # simplified found, traditional elsewhere
    ("原告陳明輝诉被告。此外，陈明辉与本案无关。", "陳明輝", "陈明辉"),   # and the other way round
    ("原告陈明辉诉被告。此外，陈\u200b明辉与本案无关。", "陈明辉", "陈\u200b明辉"),  # a zero-width space inside
    ("Dear Dana Whitfield,\nWe spoke to Ｗｈｉｔｆｉｅｌｄ's office.", "Dana Whitfield", "Ｗｈｉｔｆｉｅｌｄ"),
])
def test_a_value_found_once_is_found_in_every_folded_form(ruleset, text, found, other):
    """Propagation reads the view the rules read (traditional -> simplified, full-width, invisible
    characters dropped), so a value written another way elsewhere is the same value."""
    got = [(f.start, f.end, f.text, "repeated" in [r.code for r in f.why])
           for f in detect(make_doc(text), ruleset) if f.kind.value == "leak"]
    assert got == [(*at(text, found), found, False), (*at(text, other), other, True)]
