"""Text cut into pieces for templates (autoescaped, never marked safe): highlighted items, and
the spun original beside its repair with each change marked."""

from __future__ import annotations

from .text.spun import marked_segments


def highlighted(text: str, items) -> list[tuple[str, object]]:
    """(piece, item or None); overlapping items: the earlier, then longer, one wins."""
    pieces, last = [], 0
    for item in sorted(items, key=lambda i: (i.start, -(i.end - i.start))):
        if item.start < last or item.end > len(text):
            continue
        pieces.append((text[last : item.start], None))
        pieces.append((text[item.start : item.end], item))
        last = item.end
    pieces.append((text[last:], None))
    return [(p, i) for p, i in pieces if p]


def side_by_side(document) -> dict:
    return {
        "original": document.original_text,
        "segments": marked_segments(document.text, document.changes),
        "count": len(document.changes),
    }
