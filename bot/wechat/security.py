"""Signature checks for requests that claim to come from WeChat, in constant time.

wechatpy compares signatures with ``!=``; a timing difference there lets an attacker learn a valid signature byte by
byte, so the comparison is made here with ``hmac.compare_digest`` before wechatpy sees anything.
"""

import hashlib
import hmac
import time


def sign(*parts: object) -> str:
    """WeChat's signature: SHA-1 of the sorted parts concatenated."""
    return hashlib.sha1("".join(sorted(str(p) for p in parts)).encode("utf-8")).hexdigest()


def valid_signature(token: str, signature: str | None, timestamp: str | None, nonce: str | None, *extra: str) -> bool:
    """True when ``signature`` signs ``token``, ``timestamp``, ``nonce`` (and ``extra``, e.g. the ciphertext)."""
    if not token or not signature or timestamp is None or nonce is None:
        return False
    expected = sign(token, timestamp, nonce, *extra)
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace"))


#: A timestamp from this value up is in milliseconds: in seconds it would fall after the year 5000. WeChat sends
#: seconds; some gateways and test tools send milliseconds, and their messages are no less fresh for it.
MILLISECONDS_FROM = 10**11


def seconds(timestamp: str) -> float:
    """A request's timestamp in seconds since the epoch, whether it was sent in seconds or in milliseconds."""
    value = int(timestamp)
    return value / 1000 if value >= MILLISECONDS_FROM else value


def fresh(timestamp: str | None, window: float, now: float | None = None) -> bool:
    """True when ``timestamp`` (seconds or milliseconds) is within ``window`` seconds of now; a window of 0 turns the
    check off."""
    if not window:
        return True
    if timestamp is None:
        return False
    try:
        age = abs((now or time.time()) - seconds(timestamp))
    except (TypeError, ValueError):
        return False
    return age <= window
