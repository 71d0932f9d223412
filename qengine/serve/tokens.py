"""Resume and invitation tokens.

A token is 24 random bytes written in URL-safe base64 (32 characters): 8 bytes of
*selector*, by which the row is found, and 16 bytes (128 bits) of *verifier*, the
secret. The database keeps the selector and a SHA-256 hash of the verifier; the
verifier a request brings is hashed and compared with `hmac.compare_digest`, in a
time that does not depend on how much of it is right. A stolen copy of the
database gives no usable token, and timing the server tells nothing about one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

import attrs

_SELECTOR = 8
_VERIFIER = 16
LENGTH = 4 * (_SELECTOR + _VERIFIER) // 3  # characters of a token


@attrs.frozen
class Token:
    text: str  # what the respondent holds
    selector: str  # what the database is searched by (hex)
    verifier_hash: str  # what the database keeps of the secret (hex)


def new() -> Token:
    raw = secrets.token_bytes(_SELECTOR + _VERIFIER)
    text = base64.urlsafe_b64encode(raw).decode("ascii")
    return Token(text, raw[:_SELECTOR].hex(), _hash(raw[_SELECTOR:]))


def selector_of(text: str) -> str | None:
    """The selector of a well-formed token, None for anything else."""
    raw = _decode(text)
    return None if raw is None else raw[:_SELECTOR].hex()


def matches(text: str, verifier_hash: str) -> bool:
    """Whether `text` is the token whose verifier hashes to `verifier_hash`."""
    raw = _decode(text)
    candidate = _hash(raw[_SELECTOR:]) if raw is not None else "0" * len(verifier_hash)
    return hmac.compare_digest(candidate.encode("ascii"), verifier_hash.encode("ascii"))


def _decode(text: str) -> bytes | None:
    if not isinstance(text, str) or len(text) != LENGTH:
        return None
    try:
        raw = base64.urlsafe_b64decode(text.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    # Only the canonical spelling: "+" for "-" would otherwise name the same token.
    if len(raw) != _SELECTOR + _VERIFIER or base64.urlsafe_b64encode(raw).decode("ascii") != text:
        return None
    return raw


def _hash(verifier: bytes) -> str:
    return hashlib.sha256(verifier).hexdigest()
