"""Chinese administrative divisions and the word lists rules refer to by name.

In: python-stdnum's `cn/loc.dat` (GB/T 2260 codes and names, provinces, prefectures and counties,
current and historical, which stdnum took from Wikipedia's 行政区划代码 tables) and the text lists
shipped in `patterns/`. Out: word sets, and trie-shaped regex fragments built from them.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass

import regex

_NAME = regex.compile(r'(?:\[(\d*)-(\d*)\])?([^,\[\]"]+)')
_ETHNIC_SUFFIX = regex.compile(r"(?:\p{Han}{1,6}?族)+(?=自治)")
_SUFFIXES = ("特别行政区", "特別行政區", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "矿区",
             "新区", "省", "市", "县", "区", "旗", "盟", "州")
AMBIGUOUS_STEMS = frozenset("和代宁易温随户范息献雄单全本该各邻外我贵礼城郊新老")
# District names used generically in many cities: they name no particular place.
GENERIC = frozenset("市辖区 郊区 城区 矿区 新区 城关区 城中区 城东区 城西区 城南区 城北区 县 省直辖县级行政区划 "
                    "自治区直辖县级行政区划".split())


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    level: str  # province | prefecture | county
    current: bool = True  # False for a name the table marks as ended ([-1992]惠民地区)


def parse_loc_dat(text: str) -> list[Place]:
    places: list[Place] = []
    province = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _, rest = line.strip().partition(" ")
        if not line.startswith(" "):
            province = code
            level = "province"
            full = code + "0000"
        else:
            full = province + code
            level = "province" if code == "0000" else "prefecture" if code.endswith("00") else "county"
        value = rest.split("=", 1)[1].strip('"') if "=" in rest else ""
        for m in _NAME.finditer(value):
            name = m[3].strip()
            if name and name not in GENERIC:
                places.append(Place(full, name, level, current=not m[2]))
    return places


def short_name(name: str) -> str:
    """南宁市 -> 南宁, 石林彝族自治县 -> 石林, 萧县 -> 萧县 (a one-character stem is no name)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stem = _ETHNIC_SUFFIX.sub("", stem)
            return stem if len(stem) >= 2 else name
    return name


def builtin_text(name: str) -> str:
    return importlib.resources.files("redactaudit.patterns").joinpath(name).read_text(encoding="utf-8")


def read_list(text: str) -> tuple[str, ...]:
    """A word list: words separated by white space, '#' starts a comment line."""
    words: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        words.extend(line.split())
    return tuple(dict.fromkeys(words))


class WordLists:
    """Named word lists, each read once per loader (a loader lives as long as one pack load)."""

    def __init__(self) -> None:
        self._cache: dict[str, frozenset[str]] = {}
        self._gazetteer: list[Place] | None = None  # python-stdnum's table, parsed once

    def names(self) -> tuple[str, ...]:
        return ("zh-surnames", "zh-surnames-rare", "zh-common-words", "zh-name-words", "zh-straddle-words", "zh-everyday-words",
                "zh-idiom-heads", "zh-idiom-tails", "zh-phrase-heads",
                "zh-public-figures",
                "en-first-names",
                "zh-places-short", "zh-prefectures-short", "zh-county-one-char")

    def get(self, name: str) -> frozenset[str]:
        if name not in self._cache:
            self._cache[name] = frozenset(self._load(name))
        return self._cache[name]

    def _load(self, name: str) -> tuple[str, ...]:
        if name in ("zh-places-short", "zh-prefectures-short", "zh-county-one-char"):
            return self._places(name)
        if name in self.names():
            return read_list(builtin_text(name + ".txt"))
        raise KeyError(name)


    def _places(self, name: str) -> tuple[str, ...]:
        if self._gazetteer is None:
            loc = importlib.resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
            self._gazetteer = parse_loc_dat(loc)
        # Provinces are too coarse to identify anyone; a name that is also a prefecture (吉林) stays.
        places = [p for p in self._gazetteer if p.level != "province"]
        if name == "zh-county-one-char":
            # 萧县, 沛县: the whole name is the stem and its suffix. Stems that are everyday
            # characters next to 县 (市和县两级, 现代县域) are left out.
            return tuple(p.name for p in places if len(p.name) == 2 and p.name[1] == "县"
                         and p.name[0] not in AMBIGUOUS_STEMS)
        if name == "zh-prefectures-short":
            # Prefecture-level names are distinctive enough to stand alone (毕节, 赣州); a county's
            # short name alone too often straddles two words (党委和政府 -> 和政, 投资兴业 -> 资兴).
            places = [p for p in places if p.level == "prefecture" and p.current]
        common = self.get("zh-common-words")
        return tuple(s for s in (short_name(p.name) for p in places)
                     if len(s) >= 2 and s not in common and s not in GENERIC and not _whole_name(s))


def _whole_name(short: str) -> bool:
    """A 'short name' that is still the whole name with its suffix (萧县): the one-character
    county rule matches those, with the boundary checks they need."""
    return len(short) == 2 and short[1] in "县市旗区"


def trie_regex(words: frozenset[str] | tuple[str, ...], *, reverse: bool = False) -> str:
    """A regex fragment matching exactly the words, shaped as a trie so the engine tries one
    branch per character instead of every word.

    reverse=True shares word *endings* instead of beginnings: the shape to put in a lookbehind,
    which the engine matches from right to left (place names before a suffix, a surname before a
    given name), 3-4x faster there than a forward trie."""
    trie: dict = {}
    for word in sorted(set(words)):
        node = trie
        for ch in (reversed(word) if reverse else word):
            node = node.setdefault(ch, {})
        node[""] = {}

    def esc(ch: str) -> str:  # letters and Han need no escape; regex.escape costs per call
        return ch if ch.isalnum() else regex.escape(ch)

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [(emit(child) + esc(ch)) if reverse else (esc(ch) + emit(child))
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and not ends:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if ends else body

    return "(?:" + emit(trie) + ")"
