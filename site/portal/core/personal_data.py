"""Personal data at rest (Decree 13/2023/NĐ-CP): keyed hashes for lookups, encryption for reading.

Both keys derive from settings.PERSONAL_DATA_KEY, never stored in the database, so a dump alone
reveals neither the values nor a way to test guesses against the hashes.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _subkey(purpose: str) -> bytes:
    return hmac.new(settings.PERSONAL_DATA_KEY.encode(), purpose.encode(), hashlib.sha256).digest()


def personal_data_hash(value: str) -> str:
    """A keyed hash of `value`, equal for equal values: for uniqueness checks."""
    return hmac.new(_subkey("lookup-hash"), value.encode(), hashlib.sha256).hexdigest()


def personal_data_encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def personal_data_decrypt(token: str) -> str:
    """The plain value; raises ValueError when the token was made with another key."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("personal data encrypted with another key") from exc


@cache
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_subkey("encryption")))


def mask_name(full_name: str) -> str:
    """ "Nguyễn Văn An" -> "Nguyễn V. A.": family name kept, other names as initials."""
    parts = full_name.split()
    if len(parts) <= 1:
        return (parts[0][:1] + ".") if parts else ""
    return " ".join([parts[0], *(part[:1] + "." for part in parts[1:])])


def mask_tail(value: str, *, keep: int = 4) -> str:
    """ "0912345678" -> "***5678"."""
    return "***" + value[-keep:] if value else ""
