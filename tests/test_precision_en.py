"""False alarms of the English rules on ordinary prose (council minutes, FOI responses, annual
reports, news, inspection reports, tribunal reasons): a rank before a noun or a firm, a number
before a place's name used as an adjective or after a week, a figure after a call word, an age
of wine and an hour. Sentences written for these tests; exact findings, and the names, streets,
phones and ages next to them still found."""

from __future__ import annotations

import pytest

from tests.conftest import leaks_in as leaks, span


@pytest.mark.parametrize("text", [
    "DCI Report findings were referred to the partnership.",
    "Meanwhile, the DCI Report into crime trends was published.",
    "DS Smith Packaging remained our largest supplier.",
    "The Matron Charter is displayed in every unit.",
    "Members asked that the Matron Charter be shared.",
    "The Officer Report recommended approval.",
    "There are 200 Harbour View apartments on the site.",
    "Traders at the 15 Market Square stalls reported brisk business.",
    "In Week 4 Summer Vale hosted the fair.",
    "Over the year call volumes rose to 5678 9012 in total.",
    "The wine was aged 12 months in oak.",
    "Some complaints were aged 12 months or more before they closed.",
    "I was 3 in the morning when the alarm sounded, aged as I felt.",
    "Dear Requester,\nThank you for your request.",
    "Dear Enquirer,\nWe write about your complaint.",
    "Members welcomed the plan to plant 3 Oak Hill copses this winter.",
    "Officers confirmed that the 40 Meadow View allotments would be kept.",
    "The 8 Castle Green benches were repainted.",
    "Sergeant Recruitment had improved.",
    "Councillor Allowances were considered under item 7.",
    "The Captain Cook Memorial Museum will reopen.",
    "Dr Foster Intelligence data was used.",
    "The 2 Mill Quay restaurants have closed.",
])
def test_ordinary_prose_has_no_leak(ruleset, text):
    assert leaks(text, ruleset) == []


@pytest.mark.parametrize("text, rule, value", [
    ("DCI Mabberley led the inquiry.", "names-en.honorific", "Mabberley"),
    ("arrested by DS Ferdinand Oakeshott on Friday", "names-en.honorific", "Ferdinand Oakeshott"),
    ("Matron Ottoline Brackwater signed the chart.", "names-en.honorific", "Ottoline Brackwater"),
    ("the tenant of 42 Larkhill Rise, Ebbsworth", "places-en.street", "42 Larkhill Rise"),
    ("she lives at 15 Market Square with her son", "places-en.street", "15 Market Square"),
    ("the depot at Unit 4 Mill Wharf, Ebbsworth", "places-en.street", "4 Mill Wharf"),
    ("please call 6318 2947 after six", "identifiers.national-phone", "6318 2947"),
    ("her son, then aged 9 months, was taken", "figures-en.age", "9"),
    ("The claimant was aged 34 at the time.", "figures-en.age", "34"),
])
def test_the_kinds_next_to_them_are_still_found(ruleset, text, rule, value):
    assert leaks(text, ruleset) == [(rule, *span(text, value), value)]


# The same count of what a place has after the older street words (Walk, Lane, Road ...).
@pytest.mark.parametrize("text", ["The 12 Riverside Walk benches were repainted.", "All 30 Church Lane homes were surveyed."])
def test_a_count_after_an_older_street_word_is_no_address(ruleset, text):
    assert leaks(text, ruleset) == []


def test_an_older_street_word_address_is_still_found(ruleset):
    text = "the repairs at 12 Riverside Walk were late"
    assert leaks(text, ruleset) == [("places-zh.en-street", *span(text, "12 Riverside Walk"), "12 Riverside Walk")]
