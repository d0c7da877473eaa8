"""Pay fields encrypted at rest (SM4-CBC, 国密) with a key kept outside the database: the
environment's REFORMTRACK_PAY_KEY (32 hex digits) or DATA_DIR/pay.key, made 0600 on first use."""

from __future__ import annotations

import base64
import os
import secrets
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from gmssl.sm4 import SM4_DECRYPT, SM4_ENCRYPT, CryptSM4

PREFIX = "sm4:"


@cache
def _key() -> bytes:
    raw = os.environ.get("REFORMTRACK_PAY_KEY", "").strip()
    if not raw:
        path = Path(settings.DATA_DIR) / "pay.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(16))
        raw = path.read_text(encoding="utf-8").strip()
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise ImproperlyConfigured("REFORMTRACK_PAY_KEY (or pay.key) must be 32 hex digits.")
    return key


def encrypt(text: str) -> str:
    cipher = CryptSM4()
    cipher.set_key(_key(), SM4_ENCRYPT)
    iv = secrets.token_bytes(16)
    return PREFIX + base64.b64encode(iv + cipher.crypt_cbc(iv, text.encode())).decode()


def decrypt(stored: str) -> str:
    data = base64.b64decode(stored[len(PREFIX) :])
    cipher = CryptSM4()
    cipher.set_key(_key(), SM4_DECRYPT)
    return cipher.crypt_cbc(data[:16], data[16:]).decode()


class EncryptedDecimalField(models.TextField):
    """A Decimal stored as SM4 ciphertext: the database holds no readable amount, so it cannot
    be filtered or summed in SQL (figures are computed in Python, on rows already scoped)."""

    def __init__(self, *args, places: int = 2, **kwargs):
        self.places = places
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["places"] = self.places
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return None if value is None else Decimal(decrypt(value))

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        if isinstance(value, str) and value.startswith(PREFIX):
            return Decimal(decrypt(value))
        return Decimal(str(value))

    def get_prep_value(self, value):
        if value is None:
            return None
        amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-self.places))
        return encrypt(str(amount))
