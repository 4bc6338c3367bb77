"""The kinds of leak real anonymized text has, on texts written for these tests (new names, new
villages, new layouts): exact spans of what is found, and what must not be taken for a mask."""

from __future__ import annotations

import pytest

from redactaudit.engine.detect import detect
from tests.conftest import found_in as found, make_doc, span


# Places below the county, found by their shape and cues.
@pytest.mark.parametrize("text, value", [
    ("现任***村支书。\n韩家营村地处山区，全村人口不多。", "韩家营"),
    ("我们蒿子沟村是由两个自然村组成的。某某同志", "蒿子沟"),
    ("北端的石碾坪村与***县接壤。", "石碾坪"),
    ("与**市的葛家店镇相邻。", "葛家店"),
    ("丰宁市柳湾街道林家沟村党支部书记某某", "林家沟"),
])
def test_villages_and_towns_by_their_shape(ruleset, text, value):
    hits = [f for f in found(text, ruleset, "leak") if f[0] in ("places-zh.settlement", "places-zh.village")]
    assert (*span(text, value), value) in [f[1:] for f in hits]


def test_county_names_listed_without_their_suffix(ruleset):
    text = "市委XX书记在XX县调研。书记在曲阳、涞源调研。"
    leaks = found(text, ruleset, "leak")
    assert ("places-zh.county-list", *span(text, "曲阳、涞源"), "曲阳、涞源") in leaks


def test_a_one_character_county_after_its_province(ruleset):
    text = "x县人，不服江苏省沛县人民法院判决"
    assert ("places-zh.one-char-county", *span(text, "沛"), "沛") in found(text, ruleset, "leak") or \
        ("places-zh.one-char-county", *span(text, "沛县"), "沛县") in found(text, ruleset, "leak")


@pytest.mark.parametrize("text", ["全县的贫困村和示范村", "打造特色小镇，建设智慧社区", "回到家乡建设美丽乡村"])
def test_ordinary_words_before_a_place_suffix_are_no_place(ruleset, text):
    assert [f for f in found(text, ruleset, "leak") if f[0] == "places-zh.settlement"] == []


# Names as people write them.
def test_a_name_after_a_role_and_a_bracketed_label(ruleset):
    text = "上诉人（原审被告）：葛春燕，女，1969年3月2日出生，汉族。"
    assert ("names-zh.role-name", *span(text, "葛春燕"), "葛春燕") in found(text, ruleset, "leak")


def test_a_name_before_its_sex_whatever_the_surname(ruleset):
    text = "被申请人：巴特尔，男，蒙古族。"
    assert ("names-zh.party-sex", *span(text, "巴特尔"), "巴特尔") in found(text, ruleset, "leak")


def test_a_name_after_a_long_title_chain(ruleset):
    text = "查处了某某镇某某村党支部书记韩德宝顶风违规操办婚宴问题。给予韩德宝党内警告处分。"
    leaks = found(text, ruleset, "leak")
    assert [f[1:] for f in leaks if f[3] == "韩德宝"] == [(14, 17, "韩德宝"), (30, 33, "韩德宝")]
    assert ("names-zh.title-full-name", 14, 17, "韩德宝") in leaks


def test_names_in_a_list_of_who_attended(ruleset):
    text = "出席：尤丽华、邵国栋、蒯秀英\n列席：某某\n"
    leaks = found(text, ruleset, "leak")
    for name in ("尤丽华", "邵国栋", "蒯秀英"):
        assert span(text, name) in [f[1:3] for f in leaks]


def test_given_names_listed_before_tongzhi(ruleset):
    text = "刚才，某同志作了报告，晓军、海峰同志宣读了决定。"
    leaks = found(text, ruleset, "leak")
    assert ("names-zh.given-name-tongzhi", *span(text, "晓军"), "晓军") in leaks
    assert ("names-zh.given-name-tongzhi", *span(text, "海峰"), "海峰") in leaks


def test_a_name_in_traditional_characters(ruleset):
    text = "上訴人（原審原告）：馮建華，男，漢族。"
    assert span(text, "馮建華") in [f[1:3] for f in found(text, ruleset, "leak")]


# Organisations a person can be found through.
@pytest.mark.parametrize("text, value", [
    ("某某同志。其子在桐柏一中就读。", "桐柏一中"),
    ("某某同志被送往双河镇卫生院救治。", "双河镇卫生院"),
    ("罪犯某某，现关押于金沙湾监狱。", "金沙湾监狱"),
])
def test_schools_hospitals_and_prisons(ruleset, text, value):
    assert ("orgs-zh.institution", *span(text, value), value) in found(text, ruleset, "leak")


# Figures where the document masks that kind of figure.
def test_a_session_number_where_the_document_masks_them(ruleset):
    text = "在X届X次会议上的发言。本次是县人大九届四次会议。"
    assert ("figures-zh.session", *span(text, "九届四"), "九届四") in found(text, ruleset, "leak")


def test_a_short_year_where_the_document_masks_years(ruleset):
    text = "20XX年的工作已经结束。回顾06年的情况，展望近10年的规划。"
    leaks = found(text, ruleset, "leak")
    assert ("figures-zh.year-when-masked", *span(text, "06年"), "06年") in leaks
    assert [f for f in leaks if f[3] == "10年"] == []


def test_dates_of_birth_as_decisions_write_them(ruleset):
    text = "当事人鲍立新，男，1976年11月生，汉族；其妻一九七八年三月二十日出生。"
    leaks = found(text, ruleset, "leak")
    assert ("figures-zh.birth-date", *span(text, "1976年11月"), "1976年11月") in leaks
    assert ("figures-zh.birth-date", *span(text, "一九七八年三月二十日"), "一九七八年三月二十日") in leaks


# Masks real text uses, and things that look like masks and are not.
@pytest.mark.parametrize("text, value, category", [
    ("会上，某同志回顾了某年的情况", "某", "date"),
    ("确定202x年目标任务时", "202x", "date"),
    ("案号为(××××)粤××民终××号", "(××××)", "date"),
    ("生育长子蒋甲，次子蒋乙。", "蒋甲", "person"),
])
def test_masks_of_real_text(ruleset, text, value, category):
    masks = [(f.start, f.end, f.text, f.category) for f in detect(make_doc(text), ruleset) if f.kind.value == "placeholder"]
    start = text.index(value) if value != "某" else text.index("某年")
    assert (start, start + len(value), value, category) in masks


@pytest.mark.parametrize("text", [
    "这是**重点内容**。", "**一、总体要求**\n", "请注意*斜体*。", "大家对此****以为常。", "报乡X委、政府同意",
])
def test_markdown_emphasis_word_filters_and_censor_marks_are_not_masks(ruleset, text):
    assert found(text, ruleset, "placeholder") == []


def test_masks_beside_emphasis_stay_masks(ruleset):
    text = "**工作要求**\n由**同志、***同志带队。"
    assert [f[1:] for f in found(text, ruleset, "placeholder")] == [(10, 12, "**"), (15, 18, "***")]


def test_a_word_filter_does_not_make_a_document_anonymized(ruleset):
    text = "大家对此****以为常。全组共有126户。"
    assert [(f.rule, f.severity.value) for f in detect(make_doc(text), ruleset)] == [("figures-zh.count", "info")]


def test_an_english_surname_alone_after_the_full_name(ruleset):
    text = "The report by Dana Whitfield was filed. Whitfield's account differs; Mr. Pryce's lawyer replied."
    leaks = found(text, ruleset, "leak")
    assert (*span(text, "Dana Whitfield"), "Dana Whitfield") in [f[1:] for f in leaks]
    assert (text.index("Whitfield's"), text.index("Whitfield's") + 9, "Whitfield") in [f[1:] for f in leaks]
    assert ("names-en.honorific", *span(text, "Pryce"), "Pryce") in leaks


def test_a_surname_inside_a_longer_word_is_not_propagated(ruleset):
    text = "Dear Ms. Carla Ward,\nthe Wardrobe was delivered."
    assert [f[3] for f in found(text, ruleset, "leak")] == ["Carla Ward"]


def test_a_surname_starting_a_sentence_is_not_propagated(ruleset):
    text = "Officer Dana Young took the call. Young people attended the hearing."
    assert [f[3] for f in found(text, ruleset, "leak")] == ["Dana Young"]


def test_markup_never_hides_a_leak(ruleset):
    text = "请联系**张伟，电话13812345678**。"
    assert ("identifiers.cn-mobile", *span(text, "13812345678"), "13812345678") in found(text, ruleset, "leak")


@pytest.mark.parametrize("text, masks", [
    ("申请人**、被申请人**。", 2), ("联系人**，电话**。", 2), ("上诉人**不服一审判决，上诉人**，", 2)])
def test_masks_in_a_sentence_are_not_taken_for_emphasis(ruleset, text, masks):
    assert len(found(text, ruleset, "placeholder")) == masks


@pytest.mark.parametrize("text", ["县委书记向大家通报了情况。", "书记常抓不懈。", "在经济技术开发区建设中", "在职业技术学校就读"])
def test_words_after_a_title_or_inside_a_word_are_no_names_or_places(ruleset, text):
    assert found(text, ruleset, "leak") == []


def test_a_term_of_years_is_no_year_where_years_are_masked(ruleset):
    text = "20XX年工作总结。被告人判处有期徒刑10年，租赁期限为20年。"
    assert [f for f in found(text, ruleset, "leak") if f[0] == "figures-zh.year-when-masked"] == []


def test_a_lone_surrogate_does_not_stop_detection(ruleset):
    text = "原告陳明輝，男，\udcff住址不详。"
    assert ("names-zh.role-name", 2, 5, "陳明輝") in found(text, ruleset, "leak")


def test_a_count_after_many_masks_stays_linear(ruleset):
    # Each mask once read the text to its end to look for an English plural after it.
    text = "*中" * 20000
    assert len(found(text, ruleset, "placeholder")) == 20000


def test_the_court_and_its_officers_stay(ruleset):
    text = ("公诉人：鲁明辉。审判长　李文军\n审判员　周建华\n人民陪审员　孙丽\n书记员　陈思远\n"
            "原告冯某某，女，住某某县。")
    assert [f for f in found(text, ruleset, "leak") if f[3] in ("鲁明辉", "李文军", "周建华", "孙丽", "陈思远")] == []


# Kinds real notices, minutes, judgments and petition replies show (invented values).
def test_a_surname_with_a_private_honorific_is_the_reply_s_pseudonym(ruleset):
    # Petition replies and complaint records call a private person 陈女士, 王先生: only the surname
    # and the sex are left, as in 陈某; a full name before the honorific is still a name.
    text = "XX同志：\n屠女士：您好！您反映的问题已收悉。宓先生的诉求已转交街道办理。来访人邬秀芝女士称。"
    leaks = found(text, ruleset)
    assert [f for f in leaks if f[3] in ("屠", "宓")] == []
    assert span(text, "邬秀芝") in [f[1:3] for f in leaks if f[0].startswith("names-zh.")]


def test_a_surname_with_an_office_is_still_reported(ruleset):
    text = "XX同志：\n会上，韦县长强调要抓好落实。"
    assert ("names-zh.surname-title", *span(text, "韦"), "韦") in found(text, ruleset, "leak")


@pytest.mark.parametrize("text, name", [
    ("经查，冉建波在担任XX镇党委书记期间，违规收受礼金。", "冉建波"),
    ("经研究，决定给予冉建波党内严重警告处分。", "冉建波"),
    ("经县纪委常委会会议研究，决定给予蔺春生政务记过处分。", "蔺春生"),
    ("经调查核实，某某公司法定代表人郜玉林存在拖欠工资问题。", "郜玉林"),
])
def test_names_in_the_findings_and_decisions_of_a_notice(ruleset, text, name):
    assert span(text, name) in [f[1:3] for f in found(text, ruleset, "leak") if f[0].startswith("names-zh.")]


@pytest.mark.parametrize("text, name", [
    ("主持：糜卫东\n参加人员：某某\n", "糜卫东"),
    ("记录：廖晓燕\n", "廖晓燕"),
    ("出席会议的有县委常委、副县长邱海涛，县政府办主任某某。", "邱海涛"),
    ("市委常委、组织部部长闵立群同志出席。", "闵立群"),
])
def test_names_of_who_chaired_took_notes_or_attended(ruleset, text, name):
    assert span(text, name) in [f[1:3] for f in found(text, ruleset, "leak") if f[0].startswith("names-zh.")]


@pytest.mark.parametrize("text", ["主持：县委办公室\n", "记录：会议决定如下\n", "组织部部长办公会议，", "副县长分管工作，"])
def test_a_chair_or_an_office_without_a_name(ruleset, text):
    assert [f for f in found(text, ruleset, "leak") if f[0].startswith("names-zh.")] == []


@pytest.mark.parametrize("text", ["坚持对党员干部严管厚爱，", "书记严管厚爱，", "村民安居乐业，", "干部高质量完成任务，",
                                  "党员干部尚需努力，"])
def test_a_phrase_after_a_title_is_what_the_group_does(ruleset, text):
    assert [f for f in found(text, ruleset) if f[0].startswith(("names-zh.", "consistency."))] == []


@pytest.mark.parametrize("text, value", [
    ("姓名：某某，生日：3月12日，籍贯：某某县。", "3月12日"),
    ("其子生日为十一月二十三日。", "十一月二十三日"),
    ("当事人出生于4月5日，", "4月5日"),
    ("My birthday is 4 July and", "4 July"),
    ("Date of birth: March 9th (year withheld)", "March 9th"),
])
def test_a_birthday_without_its_year(ruleset, text, value):
    assert ("figures-zh.birthday", *span(text, value), value) in found(text, ruleset, "leak")


@pytest.mark.parametrize("text", ["生日：**月**日", "生日快乐，3月12日召开会议", "born on 4 July 1976 in", "出生于1985年3月"])
def test_no_birthday_without_a_cue_or_beside_a_full_date(ruleset, text):
    assert [f for f in found(text, ruleset, "leak") if f[0] == "figures-zh.birthday"] == []


# English letters, statements and claims.
@pytest.mark.parametrize("text, value", [
    ("My name is Fenella Quarrington and I am the complainant.", "Fenella Quarrington"),
    ("The tenant's name is Oriel Bastable.", "Oriel Bastable"),
    ("I, Ambrose Tillinghast, of the address below, will say as follows:", "Ambrose Tillinghast"),
])
def test_a_writer_naming_themselves(ruleset, text, value):
    assert ("names-en.self", *span(text, value), value) in found(text, ruleset, "leak")


def test_a_pinyin_name_with_a_possessive(ruleset):
    text = "Qiu Haoran's application was refused."
    assert ("names-en.pinyin", *span(text, "Qiu Haoran"), "Qiu Haoran") in found(text, ruleset, "leak")


@pytest.mark.parametrize("text", ["BETWEEN: the Claimant and Harold Quimby Ltd (Defendant)", "We paid Laura Jennings Limited",
                                  "My name is Customer Services", "I am Head Teacher at the school."])
def test_a_company_or_a_role_is_no_person(ruleset, text):
    assert [f for f in found(text, ruleset, "leak") if f[0].startswith("names-en.")] == []


@pytest.mark.parametrize("text, value", [
    ("Please reply to 27 Clifton Road, Bristol BS8 1TH.", "BS8 1TH"),
    ("Flat 2, 14 Elm Grove, London SW1A 1AA", "SW1A 1AA"),
    ("Postcode: EX4 6PL", "EX4 6PL"),
])
def test_a_uk_postcode_after_a_town(ruleset, text, value):
    assert ("places-zh.en-postcode", *span(text, value), value) in found(text, ruleset, "leak")


@pytest.mark.parametrize("text, value", [("Flat 2, 14 Elm Grove, London", "14 Elm Grove"),
                                         ("He moved to 5 Orchard Close in May.", "5 Orchard Close")])
def test_english_streets_of_more_kinds(ruleset, text, value):
    assert ("places-zh.en-street", *span(text, value), value) in found(text, ruleset, "leak")


def test_a_code_shaped_like_a_postcode_without_a_town(ruleset):
    assert [f for f in found("Reference A12 3BC is the product code.", ruleset) if f[0] == "places-zh.en-postcode"] == []


@pytest.mark.parametrize("text, value", [
    ("原告：某某，女，汉族，住XX省XX市XX区枣林路17号。", "枣林路17号"),
    ("原告郜某，住XX市桂花里小区5栋2单元301室。", "桂花里小区5栋2单元301室"),
    ("被告人某某，现住XX县青杠乡白岩村4组。", "青杠乡白岩村4组"),
])
def test_an_address_whose_county_and_city_are_masked(ruleset, text, value):
    assert ("places-zh.address", *span(text, value), value) in found(text, ruleset, "leak")


@pytest.mark.parametrize("text", ["第三人：某某，住所地XX县XX镇。", "上诉人某某，住XX市XX区。"])
def test_an_address_masked_to_its_county(ruleset, text):
    assert [f for f in found(text, ruleset, "leak") if f[0] == "places-zh.address"] == []


@pytest.mark.parametrize("text, name", [
    ("其丈夫滕永福长期在外务工。", "滕永福"),
    ("其母亲郏秀云拒不退还押金。", "郏秀云"),
])
def test_a_name_after_a_spouse_or_a_parent(ruleset, text, name):
    assert ("names-zh.role-name", *span(text, name), name) in found(text, ruleset, "leak")


@pytest.mark.parametrize("text", ["其丈夫常年在外务工。", "母亲节当天", "邻居们反映", "女儿于2019年出生"])
def test_kin_words_before_no_name(ruleset, text):
    assert [f for f in found(text, ruleset, "leak") if f[0].startswith("names-zh.")] == []


@pytest.mark.parametrize("text, value", [("National Insurance number: JT 48 21 93 B.", "JT 48 21 93 B"),
                                         ("my NI number is JT482193B and", "JT482193B")])
def test_a_uk_national_insurance_number_after_its_name(ruleset, text, value):
    assert ("identifiers.uk-nino", *span(text, value), value) in found(text, ruleset, "leak")


@pytest.mark.parametrize("text", ["National Insurance number: XX 12 34 56 X", "Part JT 48 21 93 B in stock"])
def test_no_national_insurance_number_masked_or_without_its_name(ruleset, text):
    assert [f for f in found(text, ruleset, "leak") if f[0] == "identifiers.uk-nino"] == []


def test_a_two_character_name_after_a_title_before_what_they_said(ruleset):
    text = "村党支部书记戴刚说，今年的收成不错。"
    assert ("names-zh.title-name", *span(text, "戴刚"), "戴刚") in found(text, ruleset, "leak")


@pytest.mark.parametrize("text, value", [("Tel: 07700 900123", "07700 900123"), ("Mobile 07700900123.", "07700900123"),
                                         ("Telephone: 020 7946 0018", "020 7946 0018"), ("Phone: 01632 960741", "01632 960741")])
def test_a_uk_phone_number_after_its_name(ruleset, text, value):
    # 020 is also Guangzhou's area code: identifiers.cn-landline-cued may report that one first.
    assert span(text, value) in [f[1:3] for f in found(text, ruleset, "leak") if f[0].startswith("identifiers.")]


@pytest.mark.parametrize("text", ["Tel: 0800 123 4567", "Tel: 07700 XXXXXX", "Invoice 07700 900123"])
def test_no_uk_phone_number_for_freephone_masks_or_without_its_name(ruleset, text):
    assert [f for f in found(text, ruleset, "leak") if f[0] == "identifiers.uk-phone"] == []


@pytest.mark.parametrize("text, value", [("Witness: Thaddeus Crumb\n", "Thaddeus Crumb"), ("Signed: Ottoline Vance\n", "Ottoline Vance"),
                                         ("cc: Amelia Frost, Head of Housing", "Amelia Frost")])
def test_a_name_on_a_labelled_line_of_a_letter_or_statement(ruleset, text, value):
    assert span(text, value) in [f[1:3] for f in found(text, ruleset, "leak") if f[0].startswith("names-en.")]


# Found by a review of the rules these tests come with: ordinary wording of notices, speeches and
# replies that the new cues read as names or birthdays (every one was a finding at warning or error).
@pytest.mark.parametrize("text", [
    "，校级主任，班级主任。", "，片区书记、网格书记。", "，交警主任，城管主任。", "各乡镇长参加会议。",
    "对林农给予补助。", "对余款给予返还。", "对车主给予警告，对商户给予警告并处罚款。",
    "经查，林地系集体所有。", "经查，江堤于去年修建。", "经查，原件与复印件一致。",
    "母亲高兴地说，", "女儿成绩优秀，儿子成才。", "父亲安葬在老家，母亲安好。", "邻居高兴地说，",
    "迎来党的生日7月1日。", "党的生日是7月1日。", "庆祝祖国的生日10月1日。", "出生于10月1日的新中国。",
])
def test_ordinary_wording_is_no_name_and_no_birthday(ruleset, text):
    assert [f for f in found(text, ruleset) if f[0].startswith(("names-zh.", "figures-zh.birth"))] == []


# The same review, in English: the labelled lines of a letter name offices and teams as often as people.
@pytest.mark.parametrize("text", ["Signed: Chief Executive\n", "cc: All Staff\n", "Witness: Police Constable\n",
                                  "cc: Human Resources\n", "Signed: Managing Director\n"])
def test_a_labelled_line_that_names_an_office_is_no_name(ruleset, text):
    assert [f for f in found(text, ruleset) if f[0] == "names-en.self"] == []

