"""False alarms of the Chinese rules on ordinary published prose (work reports, speeches, judgments,
village notices, meeting news), written for these tests: what must stay unreported, and the names
beside it that must still be found."""

from __future__ import annotations

import pytest

from tests.conftest import leaks_in as found, span


# A work report lists produce, livestock and materials whose words start with a surname character
# and are too rare for the everyday word lists (毛竹, 龙虾, 杨梅): names-zh.enumeration took each one
# beside the other for a list of names.
@pytest.mark.parametrize("text", [
    "发展毛竹、苗木、茶叶等特色产业。",
    "黄金、白银等贵金属价格波动较大。",
    "龙虾、黄鳝、泥鳅养殖规模扩大。",
    "杨梅、李子、桃子陆续上市。",
    "葛根、黄精、白及等中药材种植初见成效。",
    "白酒、黄酒、啤酒产量保持增长。",
    "桂花、梅花、兰花竞相开放。",
    "杨树、柏树成活率较高。",
    "石斛、石榴、龙眼远销省外。",
])
def test_produce_listed_in_a_report_is_no_name(ruleset, text):
    assert found(text, ruleset) == []


# Only the bare word is set aside: a three-character name that starts with it is still a name.
@pytest.mark.parametrize("text, value", [
    ("由王建国、李子轩带队", "李子轩"),
    ("民警邬建业、葛根生赶到现场", "葛根生"),
    ("参加人员：**、杨梅芳等", "杨梅芳"),
])
def test_a_name_that_starts_with_a_produce_word_is_still_found(ruleset, text, value):
    assert ("names-zh.enumeration", *span(text, value), value) in found(text, ruleset)


# A judgment's reasoning names the first-instance court or judgment by 原审, 原判 (原 is a surname):
# names-zh.name-verb took them for a name before 认为, 提出.
@pytest.mark.parametrize("text", [
    "。原审认为，上诉人的主张不能成立。",
    "，原判认为被告构成违约。",
    "原审法院认为，证据不足。",
])
def test_the_first_instance_court_is_no_name(ruleset, text):
    assert found(text, ruleset) == []


# What a notice found about money starts with a surname character too (余款, 房款, 车款):
# names-zh.finding took 经查，余款已于 for a name before 于.
@pytest.mark.parametrize("text", [
    "经查，余款已于当月结清。",
    "经查，房款已于次月付清。",
    "经查，车款未按约定支付。",
])
def test_money_found_by_a_notice_is_no_name(ruleset, text):
    assert found(text, ruleset) == []


# A speech calls groups of comrades by their duty, rank, origin or plight (挂职同志, 科级同志,
# 困难同志): names-zh.given-name-tongzhi took the two characters before 同志 for a given name.
@pytest.mark.parametrize("text", [
    "要关心关爱生病同志和困难同志。",
    "，挂职同志要尽快熟悉情况。",
    "，驻村同志要吃住在村。",
    "，新任同志要尽快进入角色。",
    "，值班同志要坚守岗位。",
    "，援疆同志克服困难。",
    "，下派同志表现突出。",
    "，后备同志要加强培养。",
    "，转业同志安置有序。",
    "，科级同志要带头学习。",
    "，身边同志纷纷点赞。",
    "，外地同志要注意安全。",
    "，犯错同志要给出路。",
])
def test_a_group_of_comrades_is_no_given_name(ruleset, text):
    assert found(text, ruleset) == []


def test_a_given_name_with_tongzhi_is_still_found(ruleset):
    text = "刚才，卫东同志讲得很好"
    assert found(text, ruleset) == [("names-zh.given-name-tongzhi", *span(text, "卫东"), "卫东")]


# 向 before a model to follow is the preposition: names-zh.name-title took 向英雄同志 for a name.
@pytest.mark.parametrize("text", ["，向英雄同志学习。", "，向牺牲同志致敬。", "，向模范同志看齐。"])
def test_toward_a_model_comrade_is_no_name(ruleset, text):
    assert found(text, ruleset) == []


# 于同年 after a party is a date (原告于同年向本院起诉): names-zh.role-name-wide took it for a name.
@pytest.mark.parametrize("text", ["原告于同年向本院起诉。", "被告于同日向本院提交答辩状。"])
def test_the_same_year_after_a_party_is_no_name(ruleset, text):
    assert found(text, ruleset) == []


# A party organ before its head's title (党支部书记, 党总支书记; 党 is a surname):
# names-zh.name-title took 党支部 for a name.
@pytest.mark.parametrize("text", ["负责人：党支部书记。", "联系人：党总支书记。", "，党组书记主持会议。", "，党委书记带头。"])
def test_a_party_organ_before_its_secretary_is_no_name(ruleset, text):
    assert found(text, ruleset) == []
