"""Titles given, held or taken away in an appointment sentence, written after the name:
温刚任中国船舶集团有限公司董事长、党组书记 (a headline's or a decision's NAME任POST),
王玉普任中石化董事长、王宜林任中石油董事长 (a list of such pairs), 任命崔杰为通钢集团党委书记,
提名巩爱平为…董事长人选, 免去陈儒芳同志的…职务, 任峰作为集团总经理. The recogniser often cuts
such names (王|宜林, 官庆任), so the name is read from the sentence's shape: a surname and one or
two characters starting a clause at a word the recogniser starts, no other word it knows; the
title ends in a title word."""

from __future__ import annotations

import re

_STOP = r"[，,。；;！？!?\n“”]"
# 温刚同志任…, 任峰作为…, 巩爱平当选为…: the verb found first, the name read back from it
CUE = re.compile(  # not 主任, 责任, 担任 …: 任 after a name, not the end of another word
    r"(?:同志)?(?:(?<![主责担现兼历曾聘委出调接离到就赴])任(?![务何期职免用命性])|"
    r"作为|当选为|被选为)"
)
POST_AFTER_CUE = re.compile(
    rf"(?P<title>(?:(?!{_STOP}).){{2,40}}?)(?:一职|职务|人选)?"
    rf"(?={_STOP}|$|、[\u4e00-\u9fff]{{2,3}}(?:同志)?任)"  # …董事长、王宜林任…: the next pair
)
CJK_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")
OPENS = set("，,。；;：:！？!?\n 、“”】\t\u3000")
VERB_NAME_POST = re.compile(  # 任命崔杰为…, 提名巩爱平为…董事长人选, 选举…为
    rf"(?:任命|提名|选举|推选|聘任|委任)(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?:同志)?为"
    rf"(?P<title>(?:(?!{_STOP}).){{2,40}}?)(?:一职|职务|人选)?(?={_STOP}|$)"
)
REMOVED = re.compile(  # 免去安凤成通钢集团党委书记职务, 免去陈儒芳同志的…职务
    rf"免去(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?:同志)?的?(?P<title>(?:(?!{_STOP}).){{2,60}}?)职务"
)
_CUES = ("任", "作为", "当选", "免去", "提名", "选举", "推选", "委任")
POST_SUFFIX = re.compile(r"(?:一职|职务|人选)$")  # 一职, 职务, 人选 close a post, are not of it


def appointments(probe: str, starts: set, words: set, plausible, title_end) -> list:
    """(start, end, name, title) of each appointment sentence's person; `starts` and `words`
    are the recogniser's word starts and its other words, `plausible` the surname check and
    `title_end` the title-word pattern."""
    if not any(cue in probe for cue in _CUES):  # most texts: nothing to look at
        return []
    out, seen = [], set()
    for start, end, title in _name_then_post(probe):
        name = probe[start:end]
        title = POST_SUFFIX.sub("", title)
        if start in starts and (start, end) not in words and plausible(name):
            if not title_end.search(title):
                continue
            seen.add(start)
            out.append((start, end, name, title))
    for pattern in (VERB_NAME_POST, REMOVED):
        for m in pattern.finditer(probe):
            start = m.start("name")
            end = _name_end(probe, m, starts) if pattern is REMOVED else m.end("name")
            name = probe[start:end]
            title = probe[end : m.end("title")] if pattern is REMOVED else m.group("title")
            title = re.sub(r"^(?:同志)?的?", "", title) if pattern is REMOVED else title
            title = POST_SUFFIX.sub("", title)
            if (
                start in seen
                or start not in starts
                or (start, end) in words
                or not plausible(name)
                or not title_end.search(title)
            ):
                continue
            seen.add(start)
            out.append((start, end, name, title))
    return out


def _name_end(probe: str, m: re.Match, starts: set) -> int:
    """Where a removed person's name ends (免去安凤成通钢…): of the three- and two-character
    readings, the one where the recogniser starts its next word; else the pattern's own."""
    start = m.start("name")
    for n in (3, 2):
        if start + n in starts and re.fullmatch(r"[\u4e00-\u9fff]{2,3}", probe[start : start + n]):
            return start + n
    return m.end("name")


def _name_then_post(probe: str):
    """(start, end, title) of each NAME(同志)?任POST whose name of two or three characters opens
    a clause (after punctuation, a space or the text's start)."""
    for cue in CUE.finditer(probe):
        for n in (2, 3):
            start = cue.start() - n
            if start < 0 or not (start == 0 or probe[start - 1] in OPENS):
                continue
            if not CJK_NAME.fullmatch(probe, start, cue.start()):
                break
            if post := POST_AFTER_CUE.match(probe, cue.end()):
                yield start, cue.start(), post.group("title")
            break
