"""Search tokens: Simplified Chinese segmented by jieba (search mode: words and their parts),
other scripts by words, lower-cased; stored space-joined so LIKE works on any database."""

from __future__ import annotations

import re
import tempfile
import threading
import warnings
from pathlib import Path

_lock = threading.Lock()
_ready = False
WORD = re.compile(r"[\w\u0590-\u05ff'-]+")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _jieba():
    global _ready
    with warnings.catch_warnings():  # jieba 0.42 has invalid escapes that warn on first compile
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba

    with _lock:
        if not _ready:
            try:
                from django.conf import settings

                folder = Path(settings.MEDIA_ROOT).parent / "jieba"
            except Exception:  # outside Django (benchmarks): a temporary folder
                folder = Path(tempfile.gettempdir()) / "reformtrack-jieba"
            folder.mkdir(parents=True, exist_ok=True)
            jieba.dt.tmp_dir = str(folder)
            jieba.setLogLevel(60)
            jieba.initialize()
            _ready = True
    return jieba


def tokens(simplified: str) -> list[str]:
    """Distinct tokens in order of first appearance."""
    jieba = _jieba()
    out: dict[str, None] = {}
    for piece in WORD.findall(simplified.lower()):
        if CJK_RUN.search(piece):
            for run in CJK_RUN.findall(piece):
                for tok in jieba.cut_for_search(run):
                    out[tok] = None
            rest = CJK_RUN.sub(" ", piece).split()
            out.update(dict.fromkeys(rest))
        else:
            out[piece] = None
    return [t for t in out if t.strip()]


def query_tokens(query: str) -> list[str]:
    jieba = _jieba()
    out = []
    for piece in WORD.findall(query.lower()):
        if CJK_RUN.search(piece):
            out += [t for t in jieba.cut(piece) if t.strip()]
        else:
            out.append(piece)
    return out


def cut(text: str) -> list[str]:
    """Bare jieba segmentation (the benchmark's floor)."""
    return list(_jieba().cut(text))
