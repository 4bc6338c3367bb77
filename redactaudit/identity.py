"""Content identity of a finding: a keyed hash of (rule, path, normalised value), no line numbers.

In: a Finding and a key. Out: a short hex fingerprint. The key comes from REDACTAUDIT_KEY when set;
the built-in default makes fingerprints stable across machines but, being public, does not stop
someone from guessing a low-entropy value (a phone number) from its hash: set a secret key in CI
when reports or baselines leave the building.
"""

from __future__ import annotations

import hmac
import os
import re
import unicodedata

DEFAULT_KEY = b"redactaudit/v1"
# What a value keeps: letters and digits (re's \w is str.isalnum plus "_") and the characters
# masks are made of.
_NOT_KEPT = re.compile(r"[^\w*×@.%]|_")


def hash_key() -> bytes:
    env = os.environ.get("REDACTAUDIT_KEY")
    return env.encode("utf-8") if env else DEFAULT_KEY


def normalise_value(value: str) -> str:
    if not (value.isascii() or unicodedata.is_normalized("NFKC", value)):
        value = unicodedata.normalize("NFKC", value)
    return _NOT_KEPT.sub("", value.casefold())


def keyed_hash(*parts: str, key: bytes | None = None, length: int = 16) -> str:
    msg = "\x1f".join(parts).encode("utf-8", "surrogateescape")  # a file name's non-UTF-8 bytes
    return hmac.digest(key or hash_key(), msg, "sha256").hex()[:length]


def fingerprint(rule: str, path: str, value: str, key: bytes | None = None) -> str:
    return keyed_hash(rule, path, normalise_value(value), key=key)

