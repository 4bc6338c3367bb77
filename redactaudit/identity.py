"""Content identity of a finding: a keyed hash of (rule, path, normalised value), no line numbers.

The path is the file's canonical one, not the one typed: relative to the current folder (the one
SARIF's URIs are relative to), '/' separators, no './'; a file outside it keeps its absolute path.
`docs`, `./docs` and `/abs/docs` then give one fingerprint, the one `scan docs` always gave. Not the
git work tree's root: that would change every fingerprint of a baseline made in a subfolder.

In: a Finding and a key. Out: a short hex fingerprint. The key comes from REDACTAUDIT_KEY when set;
the built-in default makes fingerprints stable across machines but, being public, does not stop
someone from guessing a low-entropy value (a phone number) from its hash: set a secret key in CI
when reports or baselines leave the building.
"""

from __future__ import annotations

import functools
import hashlib
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
    """HMAC-SHA256 of the parts joined, in hex, cut to `length`."""
    msg = "\x1f".join(parts).encode("utf-8", "surrogateescape")  # a file name's non-UTF-8 bytes
    inner, outer = _pads(key or hash_key())
    inner = inner.copy()
    inner.update(msg)
    outer = outer.copy()
    outer.update(inner.digest())
    return outer.hexdigest()[:length]


@functools.lru_cache(maxsize=4)
def _pads(key: bytes) -> tuple:
    """HMAC's two SHA-256 states after the key's padded blocks (RFC 2104), made once per key and
    copied for each message: hmac.digest sets up the key again on every call (2.4x the time)."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return hashlib.sha256(key.translate(_IPAD)), hashlib.sha256(key.translate(_OPAD))


_BLOCK = hashlib.sha256().block_size
_IPAD, _OPAD = bytes(b ^ 0x36 for b in range(256)), bytes(b ^ 0x5C for b in range(256))


def fingerprint(rule: str, path: str, value: str, key: bytes | None = None) -> str:
    return keyed_hash(rule, canonical_path(path), normalise_value(value), key=key)


def canonical_path(path: str) -> str:
    """The path a fingerprint hashes (see the module's docstring); standard input's name as it is."""
    try:
        here = os.getcwd()
    except OSError:  # the current folder was removed: nothing to be relative to
        return path
    return _canonical(path, here)


@functools.lru_cache(maxsize=1024)
def _canonical(path: str, here: str) -> str:
    if path.startswith("<"):  # <stdin>
        return path
    full = os.path.abspath(os.path.join(here, path))
    if not full.startswith(here.rstrip(os.sep) + os.sep):
        return full.replace(os.sep, "/")
    return os.path.relpath(full, here).replace(os.sep, "/")
