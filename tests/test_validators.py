from __future__ import annotations

import pytest

from redactaudit.engine import validators as v


@pytest.mark.parametrize("value, ok", [
    ("11010519491231002X", True),
    ("450103198505051239", True),
    ("23030219630814318X", True),   # a real region python-stdnum's table does not know
    ("450103198505051238", False),  # check digit
    ("450103198502301231", False),  # 30 February
    ("990103198505051234", False),  # no such province
    ("450103290505051234", False),  # born in the future
])
def test_resident_id(value, ok):
    assert v.cn_resident_id(value) is ok


def test_legacy_id_and_uscc_and_luhn():
    assert v.cn_resident_id_15("110105491231002")
    assert not v.cn_resident_id_15("110105491331002")
    assert v.cn_uscc("91512081MA62K0260E") and not v.cn_uscc("91350100M000100Y4Z")
    assert v.luhn("6222 0210 0112 3456 789") and not v.luhn("6222 0210 0112 3456 788")
    assert v.us_ssn("041-58-2906") and not v.us_ssn("666-12-3456")
    assert v.ipv4("203.0.113.45") and not v.ipv4("300.1.1.1") and not v.ipv4("0.0.0.0")
    assert v.birth_date("1985年5月5日") and not v.birth_date("1985年13月5日")
