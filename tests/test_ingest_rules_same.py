"""The extraction rules' short cuts find exactly what the plain scans found: each searches less
text (runs of Latin text, the places a label or a name can open, texts holding a rule's words)
or tests in place what was copied and scanned, and must give the same matches — on the seed
articles, the dev half of the unseen articles (never the held-back half) and texts made to trip
the short cuts (a newline before a count, İ ı ſ K, long capitalised titles, gaps in names)."""

import re
from pathlib import Path

from reformtrack.documents.text import (
    english_orgs,
    entities,
    facts,
    metadata,
    orgnames,
    programmes,
    quantities,
)
from reformtrack.documents.text.entities import search_text

DATA = Path(__file__).parent / "data" / "documents"
TRICKY = [
    "数\n3家企业，几\n十家，大约\n5个，上\n\n7家；超过12家",
    "State-Owned Assets Supervision And Administration Commission Of The State Council Group"
    " Corp Ltd and China National Nuclear Power Co., Ltd. (CNNP) met Sinochem Holdings.",
    "The State-owned Assets Supervision and Administration Commission of the State Council "
    "(SASAC) said China Daily报道 Xinhua News Agency, Reuters; chinadaily.com.cn reported",
    "Sİnopec Group, ſinopec Corp and \u212aelvin Holdings; 1.4 TİMES, three tımes that of, 3-fold",
    "Date: 2024-03-15\n 来源：新华社\n文 号：国发〔2021〕5号\n作者:  \n"
    "Source:     Date: 2024-03-16",
    "发布时间：2023-05-12 10:30（新华社记者 李鑫 摄）\n新华社北京5月10日电 国资委召开会议",
    "中国石油化 工集团有限公司与中国 石油天然气集团有限公司\t签约",
    "A\n级企业, rated as A, B-level list of A-level enterprises, 评为优秀, 名单中",
    "increased 1.4 times, grew by 3 times, 翻一番, 两倍, 数倍; 5 firms, up from 3; the number"
    " of SOEs reduced to 98 from 117, a workforce of almost 150,000 and 12 central SOEs",
    "国企改革三年行动 “国企改革”三年行动 three-year action plan for SOE reform; 对标世界一流",
    '30–50 large groups, 80~100 firms, the 60-plus SOEs, 345 "zombie companies," 12 SOE units',
    "全省实施项目超过4 200项，前10名，第四到十位，三大电信企业，六大发电集团之一",
]


def _texts() -> list[str]:
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths] + TRICKY


def _spans(matches) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group()) for m in matches]


def test_labels_are_the_matches_of_the_whole_scan():
    for text in _texts():
        for kind in ("date", "source", "author", "authority", "number", "link"):
            whole = metadata._label(kind).finditer(text)
            assert _spans(metadata._label_matches(text, kind)) == _spans(whole), (kind, text[:40])


def test_document_number_is_the_first_match_of_the_whole_scan():
    for text in _texts():
        plain = metadata.DOC_NUMBER.search(text)
        fast = metadata._doc_number(text)
        assert (fast and fast.group()) == (plain and plain.group())


def test_a_text_dates_itself_as_its_metadata_says():
    for text in _texts():
        assert metadata.dated(text) == (metadata.extract_metadata(text).published_on is not None)


def test_english_names_searched_in_latin_runs_are_those_of_the_whole_text():
    plain_company = re.compile(english_orgs.COMPANY.pattern.replace("(?>", "(?:"))
    plain_acronym = re.compile(english_orgs.ACRONYM.pattern.replace("(?>", "(?:"))
    for text in _texts():
        runs = [m.span() for m in english_orgs.NAME_RUN.finditer(text)]
        for pattern, plain in (
            (english_orgs.COMPANY, plain_company),
            (english_orgs.ACRONYM, plain_acronym),
            (english_orgs.OTHER, english_orgs.OTHER),
        ):
            in_runs = _spans(english_orgs._in_runs(pattern, text, runs))
            # the plain (backtracking) forms take seconds on some longer texts' titles
            if len(text) < 600:
                assert in_runs == _spans(plain.finditer(text))
            assert in_runs == _spans(pattern.finditer(text))


def test_wrapped_names_are_those_of_every_long_name():
    from reformtrack.documents.lexicons import organisation_aliases

    def every(probe: str) -> list[tuple[int, int, str]]:
        if not english_orgs.CJK_GAP.search(probe):
            return []
        compact, out = english_orgs.CJK_GAP.sub("", probe), []
        for org in organisation_aliases():
            for alias in org.aliases:
                long = len(alias) >= 5 and english_orgs.CJK.match(alias)
                if long and alias in compact and alias not in probe:
                    spaced = r"[ \t]*".join(map(re.escape, alias))
                    out += [(m.start(), m.end(), org.code) for m in re.finditer(spaced, probe)]
        return out

    probes = [search_text(t) for t in _texts()]
    assert any(english_orgs._wrapped(p) for p in probes)
    assert [english_orgs._wrapped(p) for p in probes] == [every(p) for p in probes]


def test_english_counts_in_runs_are_those_of_the_whole_text():
    for text in _texts():
        assert _spans(quantities._en_count_matches(text)) == _spans(
            quantities.EN_COUNT.finditer(text)
        )


def test_words_before_a_count_tested_in_place():
    for text in [search_text(t) for t in _texts()]:
        for end in range(len(text) + 1):
            for pattern, words in (
                (quantities.VAGUE_BEFORE, quantities.VAGUE_WORDS),
                (quantities.APPROX_BEFORE, quantities.APPROX_WORDS),
            ):
                expected = bool(pattern.search(text[:end])) if end % 7 == 0 or end < 60 else None
                if expected is not None:
                    assert quantities._ends_with(text, end, words) == expected, text[:end][-5:]


def test_organisation_heads_tested_only_on_words_ending_like_one():
    words = ["集团", "集团\n", "公司\n", "中心", "研究会", "\n", "", "人民", "委员会x"]
    words += ["国资委\n\n", "x\n"]
    words += [w for t in _texts() for w in re.findall(r"[\u4e00-\u9fff]{1,6}\n?", t)]
    assert [orgnames._has_head(w) for w in words] == [bool(orgnames.HEAD.search(w)) for w in words]


def test_programme_names_read_branch_by_branch_are_the_alternations_matches():
    parts = programmes._entries()[0]
    for probe in [search_text(t) for t in _texts()]:
        if present := programmes._present(probe):
            joined = "|".join(f"(?P<g{i}>{parts[i]})" for i in present)
            pattern = re.compile(joined, re.IGNORECASE)
            named = [(p, m.span()) for p, m in programmes._named(probe)]
            assert named == [(int(m.lastgroup[1:]), m.span()) for m in pattern.finditer(probe)]


def test_organisation_aliases_read_branch_by_branch_are_the_alternations_matches():
    entries = entities._org_entries((("X1", ("国务院国资委", "中国石化", "国资委")),))
    for probe in [search_text(t) for t in _texts()]:
        matcher, present = entities._matcher(entries, probe)
        joined = "|".join(f"(?P<g{i}>{entities._bounded(n, a)})" for i, (_, n, a) in
                          enumerate(present))  # fmt: skip
        whole = re.compile(joined or r"(?!x)x").finditer(probe)
        expected = [(int(m.lastgroup[1:]), m.span()) for m in whole]
        assert [(i, m.span()) for i, m in matcher.matches(probe)] == expected


def test_rules_skipped_only_where_they_cannot_match():
    for text in _texts():
        probe = search_text(text)
        if not facts._may_multiply(probe):
            assert not facts.MULTIPLE.search(probe)
        if not any(word in probe for word in facts.GRADE_LIST_WORDS):
            assert not facts.GRADE_LIST.search(probe)
        for start, end in facts.sentences(text):
            if facts.GRADE_HINT.search(probe, start, end) is None:
                assert not facts.GRADE.search(probe[start:end])
            if not any(label in probe for label in facts.WORD_GRADE_LABELS):
                assert not facts.WORD_GRADE.search(probe[start:end])
        if not any(word in text for word in quantities.ELLIPTIC_WORDS):
            assert not quantities.EN_ELLIPTIC.search(text)
    assert facts._may_multiply("三TİMES") and not facts._may_multiply("三次")


def test_header_lines_tested_only_when_they_hold_the_words():
    lines = [line for t in _texts() for line in t.split("\n")]
    lines += [
        "FİLE PHOTO: 2023-05-12",
        "file Photo (Xinhua/Li Xin)",
        "Source : x",
        "a | b",
        "资料图片",
    ]
    lines += ["来源：新华社 2023-05-12 字号：大 中 小", "UPDATED: 2023-05-12", "(Photo by Li Xin)"]
    for line in lines:
        assert metadata._meta_line(line) == bool(metadata.META_LINE.search(line))
        assert metadata._file_photo(line) == bool(metadata.FILE_PHOTO.search(line))
        assert metadata._credited(line) == bool(metadata.CREDIT.search(line))


def test_figures_tried_where_they_open_are_the_matches_of_the_whole_scan():
    money = facts._money_pattern()[0]
    extra = ["1,23亿元 12,345.6万元 RMB10.8bn US$5 billion 5bn RMB 3 million U.S. dollars ¥7"]
    extra += ["6 000亿元，1234 567亿元，12 345 678万元，in 2019 300 billion yuan，9 000多亿"]
    extra += [
        "百分之九十九点四三，八成以上，半数，过半，一半；5个百分点，0.4 percentage points，12.5%"
        "，四分之一，三分之二以上，十分之九"
    ]
    for probe in [search_text(t) for t in _texts()] + extra:
        assert _spans(facts._matches_from(money, facts.MONEY_OPENING, probe)) == _spans(
            money.finditer(probe)
        )
        assert _spans(facts._matches_from(facts.PERCENT, facts.PERCENT_OPENING, probe)) == _spans(
            facts.PERCENT.finditer(probe)
        )


def test_elliptic_figures_searched_in_stretches_are_those_of_the_whole_scan():
    extra = ["the number of SOEs fell.5 to 3; from 12 to 9. 3.5 percent, and 4 with rules", "1."]
    for text in _texts() + extra:
        whole = quantities.EN_ELLIPTIC.finditer(text)
        assert _spans(quantities._elliptic_matches(text)) == _spans(whole), text[:40]


def test_chinese_counts_without_space_grouped_figures_scan_the_same():
    for probe in [search_text(t) for t in _texts()]:
        if not quantities.SPACE_GROUPED.search(probe):
            unspaced = quantities.ZH_COUNT_UNSPACED.finditer(probe)
            assert _spans(unspaced) == _spans(quantities.ZH_COUNT.finditer(probe))


def test_percentages_without_fractions_scan_the_same_in_the_lighter_pattern():
    pattern, openings = facts.PERCENT_NO_FRACTION
    for probe in [search_text(t) for t in _texts()] + ["八成以上，半数，12.5%，5个百分点"]:
        if "分之" not in probe:
            light = facts._matches_from(pattern, openings, probe)
            assert _spans(light) == _spans(facts.PERCENT.finditer(probe))


def _plain_deadline(window: str, year: int):
    """facts._deadline without the guards: every phrase searched in every window."""
    import datetime as dt

    found = [(m.start(), dt.date(int(m.group(1) or year), 12, 31))
             for m in facts.YEAR_END.finditer(window)]  # fmt: skip
    for m in facts.MONTH_END.finditer(window):
        month = int(m.group(1))
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        found.append((m.start(), following - dt.timedelta(days=1)))
    found += [(m.start(), dt.date(year + 1, 6, 30)) for m in facts.NEXT_HALF.finditer(window)]
    found += [(m.start(), dt.date(int(m.group(1) or year), 12, 31))
              for m in facts.EN_YEAR_END.finditer(window)]  # fmt: skip
    found += [(m.start(), dt.date(int(m.group(1) or year), 6, 30))
              for m in facts.EN_FIRST_HALF.finditer(window)]  # fmt: skip
    found += [(m.start(), dt.date(int(m.group(1)), 12, 31))
              for m in facts.YEAR_AIM.finditer(window)]  # fmt: skip
    return max(found)[1] if found else None


def test_deadlines_searched_only_where_their_words_are_found_as_by_every_phrase():
    extra = ["BY THE END OF 2023 and The First Half of 2024; 明年上半年，2024年是攻坚之年，要力争",
             "by the end of this year ſ, 8月底前完成，今年底"]  # fmt: skip
    for text in [search_text(t) for t in _texts()] + extra:
        for at in range(0, max(1, len(text) - 60), 30):
            window = text[at : at + 60]
            assert facts._deadline(window, 2024) == _plain_deadline(window, 2024), window
