"""Values written so that a plain pattern misses them: matched on the folded view, reported on
the original characters (texts written for these tests)."""

from __future__ import annotations

import pytest

from redactaudit.engine.detect import detect
from redactaudit.engine.normalize import build_fold, matching_view
from tests.conftest import make_doc


@pytest.fixture(scope="module")
def fold():
    return build_fold()


def leaks(text, ruleset):
    return [(f.rule, f.start, f.end, f.text) for f in detect(make_doc(text), ruleset) if f.kind.value == "leak"]


def test_full_width_digits_in_a_phone(ruleset):
    text = "联系电话：１３９０７７１２３４５，"
    assert leaks(text, ruleset) == [("identifiers.cn-mobile", 5, 16, "１３９０７７１２３４５")]


def test_zero_width_characters_inside_a_phone(ruleset):
    text = "手机139\u200b0771\u200d2345。"
    assert leaks(text, ruleset) == [("identifiers.cn-mobile", 2, 15, "139\u200b0771\u200d2345")]


def test_soft_hyphen_and_direction_mark_inside_an_email(ruleset):
    text = "邮箱 wang\u00adlei@exam\u200fple.org 联系"
    assert leaks(text, ruleset) == [("identifiers.email", 3, 24, "wang\u00adlei@exam\u200fple.org")]


def test_phone_in_chinese_numerals(ruleset):
    text = "请拨打一三九零七七一二三四五联系。"
    assert leaks(text, ruleset) == [("identifiers.cn-mobile", 3, 14, "一三九零七七一二三四五")]


def test_arabic_indic_digits(ruleset):
    text = "电话：١٣٩٠٧٧١٢٣٤٥"
    assert leaks(text, ruleset) == [("identifiers.cn-mobile", 3, 14, "١٣٩٠٧٧١٢٣٤٥")]


def test_traditional_characters_are_read_as_simplified(ruleset):
    text = "原告鄭某某與被告馮建華，男，漢族"
    found = [(f.rule, f.start, f.end, f.text) for f in detect(make_doc(text), ruleset)]
    assert ("placeholders.surname-mou", 2, 5, "鄭某某") in found
    assert ("names-zh.role-name", 8, 11, "馮建華") in found


def test_the_view_maps_dropped_characters_back(fold):
    view = matching_view("甲\u200b乙\u00ad丙", fold)
    assert view.text == "甲乙丙"
    assert view.span_to_source(0, 3) == (0, 5)


def test_simplified_text_and_masks_are_left_alone(fold):
    assert matching_view("二〇二四年，于是乾隆年间的○○○○○○○同志", fold) is None


def test_chinese_numerals_with_an_invisible_character_inside(ruleset):
    text = "电话一三八\u200b一二三四五六七八"
    assert leaks(text, ruleset) == [("identifiers.cn-mobile", 2, 14, "一三八\u200b一二三四五六七八")]


def test_tag_characters_inside_a_phone(ruleset):
    text = "手机138\U000E00201234\U000E00205678"
    assert leaks(text, ruleset) == [("identifiers.cn-mobile", 2, 15, "138\U000E00201234\U000E00205678")]
