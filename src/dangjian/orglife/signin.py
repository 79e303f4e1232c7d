"""Rotating sign-in codes. The secretary's screen shows a QR code (and its six digits) that changes every
``orglife.signin_code_seconds``; a code is derived from the meeting's secret and the time window with an
HMAC, so nothing is stored per code and a code cannot be guessed from earlier ones. The previous window's
code is still accepted (grace for a member who scanned just before it changed)."""
import hashlib
import hmac
import secrets
import time

from dangjian.core.rules import rule


def new_secret() -> str:
    return secrets.token_hex(16)


def window_seconds() -> int:
    return int(rule("orglife.signin_code_seconds"))


def code_for(secret: str, window: int) -> str:
    digest = hmac.new(secret.encode(), str(window).encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def current_code(meeting, now: float | None = None) -> tuple[str, int]:
    """The code to show now and the seconds until it changes."""
    now = time.time() if now is None else now
    size = window_seconds()
    window = int(now // size)
    return code_for(meeting.signin_secret, window), int(size - now % size) or size


def is_valid(meeting, code: str, now: float | None = None) -> bool:
    """True for this window's or the previous window's code (constant-time compare)."""
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        return False
    now = time.time() if now is None else now
    window = int(now // window_seconds())
    return any(hmac.compare_digest(code, code_for(meeting.signin_secret, w)) for w in (window, window - 1))
