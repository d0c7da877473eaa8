"""Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, last a check."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(code)},
            code="uscc_length",
        )
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        raise ValidationError(
            _("A unified social credit code cannot contain %(chars)s.") % {"chars": " ".join(bad)},
            code="uscc_chars",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The check character of %(code)s should be %(expected)s, not %(actual)s.")
            % {"code": code, "expected": expected, "actual": code[17]},
            code="uscc_check",
        )
