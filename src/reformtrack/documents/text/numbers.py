"""Numbers written in digits or Chinese numerals (百分之九十九点四三 → 99.43)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "零〇一二两兩三四五六七八九十百千点點"


def cn_integer(text: str) -> int:
    total, current = 0, 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch in UNITS:
            total += (current or 1) * UNITS[ch]
            current = 0
    return total + current


def parse_number(text: str) -> Decimal | None:
    text = text.replace(",", "").strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    if not text or any(ch not in CN_NUMERAL for ch in text):
        return None
    whole, _, frac = text.replace("點", "点").partition("点")
    value = Decimal(cn_integer(whole))
    if frac:
        value += Decimal("0." + "".join(str(DIGITS.get(ch, 0)) for ch in frac))
    return value
