"""Traditional → Simplified with the context OpenCC's one-to-one choice lacks: 鍊 is 链 in
产业链/供应链/链长/链接 and 炼 only in smelting words (冶鍊, 鍊鋼, 鍛鍊); the characters that
make it smelting are data (`libraries/lexicons/t2s-phrases.yaml`)."""

from __future__ import annotations

from functools import cache

import yaml

from ..lexicons import LEXICON_DIR
from .detect import t2s


@cache
def _table() -> tuple[str, str, str]:
    data = yaml.safe_load((LEXICON_DIR / "t2s-phrases.yaml").read_text(encoding="utf-8"))
    return data["chain_char"], data["smelt_before"], data["smelt_after"]


def to_simplified(text: str) -> str:
    """`text` in Simplified Chinese, chain words kept as chains."""
    chain, before, after = _table()
    if not text or chain not in text:
        return t2s().convert(text) if text else text
    pieces = text.split(chain)
    out = [t2s().convert(pieces[0])]
    for i, piece in enumerate(pieces[1:], 1):
        left, right = pieces[i - 1][-1:], piece[:1]
        smelting = (left and left in before) or (right and right in after)
        out.append("炼" if smelting else "链")
        out.append(t2s().convert(piece))
    return "".join(out)
