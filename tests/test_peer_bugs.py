"""Issue 15: the bugs found by running other projects' test cases (Presidio, python-stdnum,
scrubadub), each pinned with exact spans. bench/peer_suites.py runs the whole suites."""

from __future__ import annotations

import pytest

from redactaudit.engine.detect import detect
from tests.conftest import make_doc


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def found(ruleset, text: str, category: str | None = None) -> list[tuple[str, int, int, str]]:
    """(category, start, end, kind) of every finding, or of one category."""
    return [(f.category, f.start, f.end, f.kind.value) for f in detect(make_doc(text), ruleset)
            if category is None or f.category == category]


# A value followed by a short extra token: the pattern swallows it, the validator rejects the
# longer match, and the shorter one must still be found.
def test_card_before_a_short_token(ruleset):
    text = "card 4012 8888 8888 1881 2024"
    assert found(ruleset, text) == [("bankcard", *at(text, "4012 8888 8888 1881"), "leak")]


def test_three_cards_in_a_row(ruleset):
    text = "4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881"
    assert found(ruleset, text) == [
        ("bankcard", 0, 16, "leak"), ("bankcard", 17, 36, "leak"), ("bankcard", 37, 56, "leak")]


@pytest.mark.parametrize("text, value", [
    ("this is an iban VG96 VPVG 0000 0123 4567 8901 X in a sentence", "VG96 VPVG 0000 0123 4567 8901"),
    ("AL47212110090000000235698741 ALL CAPS", "AL47212110090000000235698741"),
])
def test_iban_before_a_short_token(ruleset, text, value):
    assert found(ruleset, text) == [("iban", *at(text, value), "leak")]


@pytest.mark.parametrize("text", ["4012-8888-8888-1881-2024", "IP 192.168.1.1.1 here"])
def test_no_shorter_value_across_a_hyphen_or_a_dot(ruleset, text):
    """Only white space ends a token: a hyphen or a dot continues the number."""
    assert [f for f in found(ruleset, text) if f[0] in ("bankcard", "ip")] == []


# An e-mail address touching Han characters.
@pytest.mark.parametrize("text, values", [
    ("请发送至gaoxm@example.com确认", ["gaoxm@example.com"]),
    ("两个邮箱test@qq.com和admin@example.org。", ["test@qq.com", "admin@example.org"]),
])
def test_email_next_to_han(ruleset, text, values):
    assert found(ruleset, text) == [("email", *at(text, v), "leak") for v in values]


# Digits followed by X: a valid USCC, not a masked card.
@pytest.mark.parametrize("code", ["9115220107837941X1", "9144030071526726XG", "9162010567592034XQ"])
def test_uscc_ending_in_x(ruleset, code):
    text = f"统一社会信用代码{code}。"
    assert found(ruleset, text) == [("uscc", *at(text, code), "leak")]


def test_ip_before_a_full_stop(ruleset):
    text = "IP: 192.168.1.1."
    assert found(ruleset, text) == [("ip", 4, 15, "leak")]
    text = "登录地址为10.2.3.4。"
    assert found(ruleset, text) == [("ip", *at(text, "10.2.3.4"), "leak")]


@pytest.mark.parametrize("plate", ["京A1234警", "沪A1234领", "粤B1234学"])
def test_special_plates_with_four_serial_characters(ruleset, plate):
    text = f"车牌{plate}停在门口"
    assert found(ruleset, text) == [("plate", *at(text, plate), "leak")]


@pytest.mark.parametrize("text, value", [
    ("my international one is +1 415 555 0132", "+1 415 555 0132"),
    ("My phone number is 1-312-515-2239", "1-312-515-2239"),
    ("call 1 (312) 515-2239 now", "1 (312) 515-2239"),
])
def test_us_phone_forms(ruleset, text, value):
    assert found(ruleset, text) == [("phone_en", *at(text, value), "leak")]


def test_service_hotline_is_not_a_us_phone(ruleset):
    text = "客服热线400-860-8608，或800-820-8820。"
    assert found(ruleset, text) == [("hotline", *at(text, "400-860-8608"), "leak"),
                                    ("hotline", *at(text, "800-820-8820"), "leak")]
    assert {f.severity.value for f in detect(make_doc(text), ruleset)} == {"info"}


# The gaps of issue 15: identifier kinds and layouts that were not read.
@pytest.mark.parametrize("text, category, value", [
    ("Server IP: 2001:db8::1", "ip", "2001:db8::1"),
    ("网关fe80::1%eth0。", "ip", "fe80::1%eth0"),
    ("connecting from ::1", "ip", "::1"),
    ("SSN 078.05.1123 on file", "ssn", "078.05.1123"),
    ("SSN 078 05 1123 on file", "ssn", "078 05 1123"),
    ("my credit card: 122000000000003", "bankcard", "122000000000003"),
    ("注册号122000000000003", None, None),
    ("Dankort 5019717010103742", "bankcard", "5019717010103742"),
    ("Maestro 6759649826438453", "bankcard", "6759649826438453"),
    ("Diners 30569309025904.", "bankcard", "30569309025904"),
    ("账户ES 58 0049 0290 3424 1352 8341。", "iban", "ES 58 0049 0290 3424 1352 8341"),
    ("IBAN ES15-0049-1806-9121-1186-9374", "iban", "ES15-0049-1806-9121-1186-9374"),
    ("IBAN NO07.8380.08.06006", "iban", "NO07.8380.08.06006"),
    ("iban gb82 west 1234 5698 7654 32 please", "iban", "gb82 west 1234 5698 7654 32"),
    ("收款账户：de89 3704 0044 0532 0130 00。", "iban", "de89 3704 0044 0532 0130 00"),
    ("IBAN NO 0560110516994.", "iban", "NO 0560110516994"),
    ("身份证号1101 0119 9001 0112 37，", "idcard", "1101 0119 9001 0112 37"),
    ("卡号6222  1830  7459  2610  487。", "bankcard", "6222  1830  7459  2610  487"),
    ("代码91 110000 600037341L。", "uscc", "91 110000 600037341L"),
    ("write to a@xn--d1acufc.xn--p1ai today", "email", "a@xn--d1acufc.xn--p1ai"),
    ("车牌粤BA03205，", "plate", "粤BA03205"),
    ("使馆车辆车牌使014·578停在", "plate", "使014·578"),
    ("My phone number is +47 21 30 85 99", "phone_en", "+47 21 30 85 99"),
    ("My phone number is 312-515-2239 ext. 12", "phone_en", "312-515-2239 ext. 12"),
])
def test_identifier_gaps(ruleset, text, category, value):
    assert found(ruleset, text) == ([(category, *at(text, value), "leak")] if value else [])


@pytest.mark.parametrize("text, category, value", [
    ("电话0915*****79。", "phone", "0915*****79"),
    ("登录IP：192.*.*.*。", "ip", "192.*.*.*"),
    ("车牌苏D4***0，", "plate", "苏D4***0"),
    ("联系人 *** 电话", "person", "***"),
    ("手机1381234567*，", "phone", "1381234567*"),
    ("手机*2345678901，", "phone", "*2345678901"),
    ("身份证号**************123X。", "idcard", "**************123X"),
])
def test_masks_the_inventory_missed(ruleset, text, category, value):
    assert found(ruleset, text) == [(category, *at(text, value), "placeholder")]


# A sentence's full stop ends a value; Han characters may touch it on either side.
@pytest.mark.parametrize("text, category, value", [
    ("IBAN NO07.8380.08.06006.", "iban", "NO07.8380.08.06006"),
    ("SSN 078.05.1123.", "ssn", "078.05.1123"),
    ("Gateway fe80::1.", "ip", "fe80::1"),
    ("Route 10.0.0.0/8.", "ip", "10.0.0.0/8"),
    ("Mail a@xn--d1acufc.xn--p1ai.", "email", "a@xn--d1acufc.xn--p1ai"),
    ("地址2001:db8::1为", "ip", "2001:db8::1"),
    ("号码+44 (20) 7123 4567转", "phone_en", "+44 (20) 7123 4567"),
    ("电话+14155550132。", "phone_en", "+14155550132"),
    ("卡号4012888888881881和", "bankcard", "4012888888881881"),
])
def test_values_end_at_a_full_stop_or_han(ruleset, text, category, value):
    assert found(ruleset, text) == [(category, *at(text, value), "leak")]


def test_shorter_values_on_a_long_line_stay_linear(ruleset):
    """Every match falls back and the search starts again after it: one line of 4,000 such
    values is found whole, gated or not, in one pass each (the test would take minutes if
    each restart searched from the start of the line)."""
    from redactaudit.engine.detect import candidates

    text = "card 4012 8888 8888 1881 2024 " * 4000
    doc = make_doc(text)
    for gated in (True, False):
        cards = [c for c in candidates(doc, ruleset, gated=gated) if c.category == "bankcard"]
        assert len(cards) == 4000
        assert (cards[0].start, cards[0].end) == (5, 24) and cards[-1].text == "4012 8888 8888 1881"
