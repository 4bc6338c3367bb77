"""Kinds of leak found by writing neighbours of the real Chinese documents (低保 and 救助 notices,
拟任职公示, 表彰名单, 处分决定, judgments, village minutes, speeches on industrial parks), on texts
written for these tests: exact spans of what is found, and what must stay unreported."""

from __future__ import annotations

import pytest

from tests.conftest import leaks_in as found, span


def by_rule(text, ruleset, rule):
    return [f[1:] for f in found(text, ruleset) if f[0] == rule]


# Parks, zones and development areas named before their kind.
@pytest.mark.parametrize("text, value", [
    ("今年新签约项目落户柏溪工业园。", "柏溪"),
    ("云湾经济开发区管委会印发通知", "云湾"),
    ("全力推进青岚高新区扩区调规", "青岚"),
    ("在鹿鸣经济技术开发区新增规上企业8家", "鹿鸣"),
])
def test_a_park_named_before_its_kind(ruleset, text, value):
    assert (*span(text, value), value) in by_rule(text, ruleset, "places-zh.park")


# Parks are places-zh.park's alone (places-zh.settlement took their kinds for names: 电商产业园).
def test_a_park_after_a_boundary_is_the_park_rules(ruleset):
    text = "XX县石桥湾产业园完成投资"
    assert found(text, ruleset) == [("places-zh.park", *span(text, "石桥湾"), "石桥湾")]


@pytest.mark.parametrize("text", [
    "抓好本工业园建设，各开发区要对标先进。", "推动省级开发区提质升级", "创建国家级高新区", "建设现代农业产业园",
    "依托高新区平台招商", "全县工业园区", "打造化工园区", "抓好经济开发区建设", "XX经济开发区", "推动开发区、高新区改革",
    "**工业园", "该园区企业",
])
def test_a_kind_of_park_is_no_name(ruleset, text):
    assert by_rule(text, ruleset, "places-zh.park") == []


# Whom a notice approves, appoints, relieves or puts under investigation.
@pytest.mark.parametrize("text, value, rule", [
    ("经审核，同意翟春生为低保对象。", "翟春生", "names-zh.decision"),
    ("经评议，拟同意柴玉芹享受临时救助。", "柴玉芹", "names-zh.decision"),
    ("支部大会批准宫建新为中共预备党员。", "宫建新", "names-zh.decision"),
    ("经研究决定，童立新任县水利局局长。", "童立新", "names-zh.decision"),
    ("任命隋海波为县统计局副局长，免去隋海波的县档案馆馆长职务。", "隋海波", "names-zh.decision"),
    ("　　詹为民同志拟任县水利局党组成员。", "詹为民", "names-zh.decision"),
    ("县纪委监委对龚志远予以立案审查调查。", "龚志远", "names-zh.sanction"),
    ("对樊志远依纪依法立案审查调查", "樊志远", "names-zh.sanction"),
])
def test_the_subject_of_a_decision(ruleset, text, value, rule):
    assert (*span(text, value), value) in by_rule(text, ruleset, rule)


@pytest.mark.parametrize("text", [
    "同意王局长为组长", "同意该同志为预备党员", "经研究，决定成立领导小组", "认定标准为县定标准", "批准文号为X政〔2024〕3号",
    "同意某某为低保对象", "会议决定任命", "，各单位拟推荐", "，相关部门拟提名", "免去其职务", "选举结果为", "同意方案为",
    "对有关人员予以立案", "对相关责任人予以批评教育", "对其予以诫勉谈话", "对该同志予以免职",
])
def test_what_a_decision_is_about_is_no_name(ruleset, text):
    assert [f for f in found(text, ruleset) if f[0] in ("names-zh.decision", "names-zh.sanction")] == []


# Given names holding a character that starts a cue elsewhere (利用, 和, 为, 向本院, 有关).
@pytest.mark.parametrize("text, value, rule", [
    ("经办人：罗顺利。", "罗顺利", "names-zh.role-name-wide"),
    ("原告冯和平向本院提出诉讼请求", "冯和平", "names-zh.role-name-wide"),
    ("户名：祁有才，开户行：某某银行", "祁有才", "names-zh.role-name-wide"),
    ("投诉人：谷向东\n", "谷向东", "names-zh.role-name-wide"),
    ("经查，苗和平在担任村会计期间", "苗和平", "names-zh.finding"),
    ("决定给予蒲有利党内警告处分", "蒲有利", "names-zh.sanction"),
    ("第三人濮春梅述称，对借款不知情。", "濮春梅", "names-zh.role-name"),
])
def test_a_name_with_a_character_that_starts_cues(ruleset, text, value, rule):
    assert (*span(text, value), value) in by_rule(text, ruleset, rule)


@pytest.mark.parametrize("text", ["负责人：方案组", "联系人：王主任，电话", "原告向本院提出诉讼请求", "被告于当日归还",
                                  "当事人：王某，", "原告：同上，"])
def test_what_follows_a_role_may_be_no_name(ruleset, text):
    assert by_rule(text, ruleset, "names-zh.role-name-wide") == []


# Villagers on aid and the village's keepers, a rule of its own read only where the words stand.
@pytest.mark.parametrize("text, value", [
    ("同意将五保户兰永庆纳入特困供养", "兰永庆"), ("走访脱贫户刘德全了解情况", "刘德全"), ("低保户孙桂兰说，", "孙桂兰"),
    ("网格员范晓丽发现后及时上报", "范晓丽"), ("护林员龙刚反映近期山火隐患", "龙刚"),
])
def test_a_villager_or_keeper_named_after_the_word(ruleset, text, value):
    assert (*span(text, value), value) in by_rule(text, ruleset, "names-zh.villager")


@pytest.mark.parametrize("text", ["五保户集中供养", "低保户名单公示", "贫困户脱贫", "脱贫户家庭收入", "网格员队伍建设",
                                  "低保户某某，", "监测户全部落实帮扶措施", "网格员每天巡查", "低保对象实行动态管理",
                                  "困难户申请救助", "全村脱贫户均已落实", "调解员高度负责"])
def test_what_follows_a_villager_word_may_be_no_name(ruleset, text):
    assert by_rule(text, ruleset, "names-zh.villager") == []


# Names in lists: a line of names, names after their unit, table rows that start with a number.
def test_a_line_of_names_set_apart_by_spaces(ruleset):
    for sep in ("　", "  "):
        text = f"优秀共产党员：\n聂建业{sep}柯淑芬{sep}邬国栋\n"
        hits = by_rule(text, ruleset, "names-zh.name-row")
        assert hits == [(*span(text, v), v) for v in ("聂建业", "柯淑芬", "邬国栋")]


def test_names_after_the_unit_they_belong_to(ruleset):
    text = "先进工作者：\n县审计局：鲍晓燕、程立国\n县卫健局：韦春兰\n县农业农村局：吕建华　钱玉梅\n"
    names = [f[1:] for f in found(text, ruleset) if f[0].startswith("names-zh.")]
    for value in ("鲍晓燕", "程立国", "韦春兰", "吕建华", "钱玉梅"):
        assert (*span(text, value), value) in names


@pytest.mark.parametrize("text", ["XX镇：石门村、桃源村\n", "县委办：负责统筹协调\n", "县财政局：王局长\n", "姓名　性别　民族\n",
                                  "王某　李某某\n", "组长　王建国\n", "通　知\n", "县教育局：某某、**\n", "　　各乡镇、各部门：\n",
                                  "　　高度重视　加强领导\n"])
def test_a_line_that_is_not_all_names(ruleset, text):
    assert by_rule(text, ruleset, "names-zh.name-row") == []


def test_a_table_row_that_starts_with_its_number(ruleset):
    text = "序号 姓名 性别 家庭人口\n1 黎秀珍 女 2\n2 符德胜 男 3\n3 **** 女 1\n"
    hits = by_rule(text, ruleset, "names-zh.name-sex")
    assert hits == [(*span(text, "黎秀珍"), "黎秀珍"), (*span(text, "符德胜"), "符德胜")]


# Words read as names before: 原 before a level is 'former', 任前 a notice's kind.
@pytest.mark.parametrize("text", ["，原村支书某某截留补助", "，原镇长某某", "干部任前公示"])
def test_former_and_before_office_are_no_names(ruleset, text):
    assert [f for f in found(text, ruleset) if f[0].startswith("names-zh.")] == []


# The court's own officers stay in clear (法释〔2016〕19号; the Court said in 2026 that masking them is an error).
def test_court_officers_are_not_reported(ruleset):
    text = "审判长　戈建明\n审判员　邓永华\n人民陪审员　朱海燕\n书记员　闵小燕\n"
    assert [f for f in found(text, ruleset) if f[0].startswith("names-zh.")] == []


# Rules with the same gate share one entry in the gate's automata, and each runs where it occurs.
def test_rules_with_one_gate_share_its_entry():
    pytest.importorskip("re2")
    from redactaudit.engine.gate import Gate

    gate = Gate(["同志", "书记", "同志", None, "同志"])
    for text, rules in (("张三同志来了。", {0, 2, 4}), ("李四书记走了。", {1})):
        assert [r.rules for r in gate.regions(text, text.encode())] == [frozenset(rules)]
    assert gate.always == frozenset({3})
    assert gate._union.pattern.count("同志".encode()) == 1
