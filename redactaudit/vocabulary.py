"""What the words mean: categories, mask styles and consistency checks, as data in one place.

In: nothing. Out: constant tables that detect, consistency, policy, redact and reporting read. No
stage imports a constant from a sibling stage: adding a category or a check is one entry here
(plus the check's code), and everything that needs to know reads it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Category:
    """What a finding's value is.

    `direct`: identifies a person on its own (a phone number); masking one says nothing about how
    the document treats contextual details. `contextual`: identifies in context (a name, a place, a
    figure): a document that masks one of them and shows another leaks through its masks.
    `name`: a name is a name whatever word follows its mask, so all its masks are compared for
    width. `propagated`: a value found once is found wherever else the document repeats it.
    `partial_keep`: how many digits a usual partial mask keeps in clear (138****5678 keeps 7).
    """

    name: str
    direct: bool = False
    contextual: bool = False
    name_like: bool = False
    propagated: bool = False
    partial_keep: int | None = None


def _table(*entries: Category) -> dict[str, Category]:
    return {c.name: c for c in entries}


CATEGORIES: dict[str, Category] = _table(
    Category("person", contextual=True, name_like=True, propagated=True),
    Category("person_en"),
    Category("place", contextual=True, name_like=True, propagated=True),
    Category("place_en"),
    Category("org", contextual=True, name_like=True, propagated=True),
    Category("address", contextual=True, name_like=True, propagated=True),
    Category("number", contextual=True),
    Category("money", contextual=True),
    Category("percent", contextual=True),
    Category("date", contextual=True),
    Category("rank"),
    Category("phone", direct=True, partial_keep=7),
    Category("phone_en", direct=True, partial_keep=4),
    Category("idcard", direct=True, partial_keep=10),
    Category("passport", direct=True),
    Category("uscc", direct=True),
    Category("bankcard", direct=True, partial_keep=10),
    Category("qq", direct=True),
    Category("email", direct=True),
    Category("plate", direct=True),
    Category("ip", direct=True),
    Category("ssn", direct=True, partial_keep=4),
    Category("iban", direct=True),
    Category("record_id", direct=True),  # a staff, student, badge or patient record number
    Category("url", direct=True),
    Category("wechat", direct=True),
    Category("case"),
    Category("hotline"),
    Category("unknown"),
)
# Not a category of values: a rule of category `infer` takes its category from the mask's context.
INFER = "infer"
PACK_CATEGORIES = frozenset(CATEGORIES) | {INFER}

DIRECT = frozenset(c.name for c in CATEGORIES.values() if c.direct)
CONTEXTUAL = frozenset(c.name for c in CATEGORIES.values() if c.contextual)
NAME_LIKE = frozenset(c.name for c in CATEGORIES.values() if c.name_like)
PROPAGATED = tuple(c.name for c in CATEGORIES.values() if c.propagated)


# The characters a mask is made of, by style. A width-tracking style is one whose width a writer
# chooses per value (so a varying width tells the hidden length); labels ([NAME]) have a fixed
# width by design and partial masks (138****5678) follow the value's format.
MASK_CLASSES: dict[str, str] = {
    "asterisk": "*＊∗",
    "x-run": "XxＸｘ",
    "times": "×✕✖╳",
    "mou": "某",
    "circle": "○〇◯●",
    "square": "□■▢◻◼",
    "block": "█▇▉▓▆",
}
MASK_CHARS = "".join(MASK_CLASSES.values())
WIDTH_STYLES = frozenset(MASK_CLASSES)
STYLES = frozenset(MASK_CLASSES) | {"label", "partial"}


# What a partial mask keeps in clear: letters and digits, except mask characters (an X counts as
# one only in a run: XXX-XX-1234, not the x of example.com).
_KEPT_CLEAR = re.compile(r"[XxＸｘ]{2,}|([^\W_*＊∗×✕✖╳某○〇◯●□■▢◻◼█▇▉▓▆])")


def partial_shape(value: str) -> str:
    """A partial mask with the characters it keeps hidden: 13812*45678 -> #####*#####."""
    return _KEPT_CLEAR.sub(lambda m: "#" if m.group(1) else m.group(), value)


@dataclass(frozen=True, slots=True)
class Check:
    """A consistency check: its id (the rule id of its findings), what it means, and whether its
    findings point at a value in clear (redact edits those) or at masks (nothing to edit)."""

    id: str
    description: str
    points_at_value: bool = False
    across_copies: bool = False


CHECKS: dict[str, Check] = {c.id: c for c in (
    Check("consistency.mask-length",
          "Masks of one category vary in width, so the width tells the hidden length."),
    Check("consistency.mask-style", "One category is masked in several styles."),
    Check("consistency.partial-mask", "A partial mask keeps more of the value than is usual."),
    Check("consistency.revealed-elsewhere", "The document masks this kind of value, yet shows one in clear.",
          points_at_value=True),
    Check("consistency.cross-document", "Another copy of this document masks the value shown here.",
          points_at_value=True, across_copies=True),
    Check("consistency.copies-differ", "Two copies of a document mask the same value differently.",
          across_copies=True),
)}
VALUE_CHECKS = frozenset(c.id for c in CHECKS.values() if c.points_at_value)
