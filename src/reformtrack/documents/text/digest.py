"""A digest (a weekly brief of policies and news, like seeds/004) cut into its entries: part
headings (一、…政策…, 二、…新闻…) and numbered items (1、title) with their bodies. The table
of contents repeats the headings without bodies and is skipped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .detect import to_simplified

PART = re.compile(r"^\s*[一二三四五六七八九十]+、\s*(.+?)\s*$")
ENTRY = re.compile(r"^\s*(\d{1,2})、\s*(.+?)\s*$")
ANALYSIS = re.compile(r"^\s*[丨|]?\s*(政策简析|政策簡析|简析|簡析)\s*[丨|]?\s*$")
MIN_ENTRIES = 3


@dataclass
class Entry:
    part: str  # "policy" or "news"
    number: int
    title: str
    body: str
    analysis: str
    start: int  # offset of the title line in the digest text


def _part_kind(heading: str) -> str:
    return "policy" if "政策" in to_simplified(heading) else "news"


def split_digest(text: str) -> list[Entry]:
    """Entries with a body; [] when the text is not a digest."""
    entries: list[Entry] = []
    part, current, body, offset = "news", None, [], 0
    seen_parts = 0

    def close():
        if current is None:
            return
        lines = [line for line in body if line.strip()]
        if not lines:
            return
        full = "\n".join(lines)
        analysis = ""
        for i, line in enumerate(lines):
            if ANALYSIS.match(line):
                analysis = "\n".join(lines[i + 1 :])
                break
        entries.append(Entry(part, current[0], current[1], full, analysis, current[2]))

    for line in text.split("\n"):
        part_match = PART.match(line)
        entry_match = ENTRY.match(line) if not part_match else None
        if part_match and len(line.strip()) <= 40:
            close()
            current, body = None, []
            part = _part_kind(part_match.group(1))
            seen_parts += 1
        elif entry_match and len(line.strip()) <= 120:
            close()
            current, body = (int(entry_match.group(1)), entry_match.group(2), offset), []
        elif current is not None:
            body.append(line)
        offset += len(line) + 1
    close()
    return entries if seen_parts and len(entries) >= MIN_ENTRIES else []


# A news item's title often names its outlet: "国资报告：…", "人民邮电报：…", "新华社：…".
OUTLET = re.compile(
    r"^\s*(?P<name>[\u4e00-\u9fff]{2,12}?(?:日[报報]|晚[报報]|[报報]告|[报報]|社|[网網]|[台臺]|[杂雜][志誌]|[频頻][道]|[时時][报報]))\s*[：:]"
)


def outlet_of(title: str) -> str:
    """The outlet a news item's title names before its colon; "" if none."""
    match = OUTLET.match(title or "")
    return match.group("name") if match else ""
