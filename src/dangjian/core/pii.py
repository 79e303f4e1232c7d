"""Personal identifiers: encrypted at rest, a keyed hash for look-up, masked for display."""
import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(master: str) -> tuple[Fernet, bytes]:
    fernet = Fernet(master.encode())
    # A separate key for the blind index, so the hash reveals nothing about the cipher key.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"dangjian blind index")
    return fernet, hkdf.derive(base64.urlsafe_b64decode(master))


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _keys(settings.PII_KEY)[0].encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    return _keys(settings.PII_KEY)[0].decrypt(token.encode()).decode()


def blind_index(value: str) -> str:
    """Deterministic keyed hash: equal values give equal digests, for uniqueness and search."""
    if not value:
        return ""
    return hmac.new(_keys(settings.PII_KEY)[1], value.encode(), hashlib.sha256).hexdigest()


def mask(value: str, head: int, tail: int) -> str:
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_citizen_id(value: str) -> str:
    return mask(value, 3, 4)  # 500***********1234


def mask_phone(value: str) -> str:
    return mask(value, 3, 4)  # 138****5678
