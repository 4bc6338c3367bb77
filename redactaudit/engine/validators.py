"""Named pure checks a rule can require of its value: `validators: [luhn]` in a pack.

In: the matched value (a string). Out: True (plausible) or False (drop the match).
python-stdnum does the checksums where it has them; what it gets wrong for our use (its
resident-ID birthplace table misses many valid regions, see README) is written here.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
from typing import Callable

# python-stdnum's modules are imported where a value is first checked (start-up stays small).

# GB/T 2260 province codes in issued resident IDs; 81-83 are HK/Macau/Taiwan residence permits.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit() or c in "Xx")


def _real_date(year: int, month: int, day: int, *, earliest: int = 1900) -> bool:
    try:
        date = _dt.date(year, month, day)
    except ValueError:
        return False
    return earliest <= year and date <= _dt.date.today()


def cn_resident_id(value: str) -> bool:
    """18-character resident ID: ISO 7064 MOD 11-2 check, a real birth date, a known province.

    First digit 9: the 2023 foreign permanent-residence ID, same layout and check."""
    v = _digits(value).upper()
    if len(v) != 18 or not v[:17].isdigit():
        return False
    if v[:2] not in _PROVINCES and not (v[0] == "9" and v[1:3] in _PROVINCES):
        return False
    if not _real_date(int(v[6:10]), int(v[10:12]), int(v[12:14])):
        return False
    from stdnum.cn import ric as _ric

    return _ric.calc_check_digit(v) == v[17]


def cn_resident_id_15(value: str) -> bool:
    """Legacy 15-digit ID (GB 11643-1989): region, YYMMDD birth date, sequence; no check digit."""
    v = _digits(value)
    if len(v) != 15 or not v.isdigit() or v[:2] not in _PROVINCES:
        return False
    return _real_date(1900 + int(v[6:8]), int(v[8:10]), int(v[10:12]))


def cn_uscc(value: str) -> bool:
    from stdnum.cn import uscc as _uscc

    return _uscc.is_valid(value)


def luhn(value: str) -> bool:
    v = "".join(c for c in value if c.isdigit())
    from stdnum import luhn as _luhn

    return 12 <= len(v) <= 19 and _luhn.is_valid(v)


# Maestro IINs (12-19 digits); other 50/56-69 numbers are too often something else.
_MAESTRO = ("5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763")


def payment_card(value: str) -> bool:
    """A card number: a known issuer prefix and its lengths, and the Luhn check. 15-19 digits:
    UnionPay 62, Visa 4, Mastercard 51-55/2221-2720, Amex 34/37, JCB 35, Discover 60/65,
    Dankort 5019; 14 digits: Diners 300-305/3095/36/38/39; 12-19 digits: Maestro. UATP (a
    leading 1) is `uatp_card`: its rule wants a card word, since 15 digits starting with 1 are
    as often a business registration number (注册号) or a legacy resident ID."""
    from stdnum import luhn as _luhn

    v = "".join(c for c in value if c.isdigit())
    n = len(v)
    if not 12 <= n <= 19 or not _luhn.is_valid(v):
        return False
    if v.startswith(_MAESTRO):
        return True
    if n == 14:
        return v[:2] in ("36", "38", "39") or "300" <= v[:3] <= "305" or v.startswith("3095")
    if n < 15:
        return False
    two = int(v[:2])
    return (v[0] == "4" or two in (34, 35, 37, 60, 62, 65) or 51 <= two <= 55 or 2221 <= int(v[:4]) <= 2720
            or v.startswith("5019"))


def uatp_card(value: str) -> bool:
    """A UATP card number: 15 digits, a leading 1, the Luhn check."""
    v = "".join(c for c in value if c.isdigit())
    from stdnum import luhn as _luhn

    return len(v) == 15 and v[0] == "1" and _luhn.is_valid(v)


def us_ssn(value: str) -> bool:
    """078-05-1123, also written with dots or spaces."""
    from stdnum.us import ssn as _ssn

    return _ssn.is_valid(value.replace(".", "-").replace(" ", "-"))


def iban(value: str) -> bool:
    """stdnum's check (mod 97 and the country's layout); spaces, hyphens and dots between
    characters are separators, capitals and lower case alike."""
    from stdnum import iban as _iban

    return _iban.is_valid(value)


def nhs_number(value: str) -> bool:
    """A UK NHS number: ten digits, the last a modulus-11 check of the first nine (weights 10 to
    2; a remainder that gives 10 is never issued)."""
    v = "".join(c for c in value if c.isdigit())
    if len(v) != 10:
        return False
    check = 11 - sum(int(c) * (10 - i) for i, c in enumerate(v[:9])) % 11
    return check != 10 and check % 11 == int(v[9])


def partly_masked_number(value: str) -> bool:
    """A number masked in part: two digits or more in clear and a run of two mask characters."""
    return sum(c.isdigit() for c in value) >= 2 and any(m * 2 in value for m in "*＊×")


def _prefix(value: str, longest: int) -> tuple[str, bool]:
    """(the address, whether a CIDR prefix after it, if any, is in range)."""
    address, slash, prefix = value.partition("/")
    return address, not slash or (prefix.isdigit() and int(prefix) <= longest)


def ipv4(value: str) -> bool:
    """An IPv4 address, with or without a CIDR prefix (192.168.1.0/24)."""
    address, ok = _prefix(value, 32)
    try:
        addr = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    # 0.0.0.0 and broadcast are placeholders in docs, not someone's address.
    return ok and not (addr.is_unspecified or str(addr) == "255.255.255.255")


def ipv6(value: str) -> bool:
    """An IPv6 address (compressed, with an IPv4 tail, a %zone or a /prefix); not the
    unspecified address (::) nor 0.0.0.0 or broadcast written in IPv6 (::ffff:0.0.0.0)."""
    address, ok = _prefix(value, 128)
    try:
        addr = ipaddress.IPv6Address(address)
    except ValueError:
        return False
    mapped = addr.ipv4_mapped
    if mapped is not None and not ipv4(str(mapped)):
        return False
    return ok and not addr.is_unspecified and address.count(":") >= 2


def phone_e164(value: str) -> bool:
    """A number written with a country code: 8 to 15 digits in all (E.164)."""
    return 8 <= sum(c.isdigit() for c in value) <= 15


_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_numerals(value: str) -> str:
    """一九八五年三月十二日 -> 1985年3月12日: digit by digit, and 十 as tens in months and days."""
    import regex

    def number(m: "regex.Match") -> str:
        s = m.group()
        if "十" not in s:
            return "".join(str(_CN_DIGITS[c]) for c in s)
        tens, _, ones = s.partition("十")
        return str((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0))

    return regex.sub("[〇零○一二三四五六七八九十]+", number, value)


def birth_date(value: str) -> bool:
    """A written date that can be someone's birth date (1900 up to today): year, month and day, or
    year and month, or a year alone; in Arabic or Chinese numerals."""
    import regex

    m = regex.search(r"(\d{4})(?:\D{1,3}(\d{1,2})(?:\D{1,3}(\d{1,2}))?)?", _cn_numerals(value))
    if not m:
        return False
    return _real_date(int(m[1]), int(m[2] or 1), int(m[3] or 1))


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "cn_resident_id": cn_resident_id,
    "cn_resident_id_15": cn_resident_id_15,
    "cn_uscc": cn_uscc,
    "luhn": luhn,
    "payment_card": payment_card,
    "uatp_card": uatp_card,
    "us_ssn": us_ssn,
    "nhs_number": nhs_number,
    "partly_masked_number": partly_masked_number,
    "iban": iban,
    "ipv4": ipv4,
    "ipv6": ipv6,
    "phone_e164": phone_e164,
    "birth_date": birth_date,
}
