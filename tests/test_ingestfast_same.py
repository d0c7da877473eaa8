"""Short cuts of the ingestion path find what the plain scans they replace find: a scraper line by
one alternation of the lexicon's patterns rather than each in turn, and multiples by the 倍
branches alone in a text with no 番, fold or times. Checked on the seed and dev articles (never
the held-back ones) and on texts made to hit the edges."""

from pathlib import Path

from reformtrack.documents.text import facts, normalise

DATA = Path(__file__).parent / "data" / "documents"


def _texts() -> list[str]:
    paths = sorted(DATA.glob("0*.txt")) + sorted((DATA / "unseen" / "dev").glob("*.txt"))
    return [path.read_text(encoding="utf-8") for path in paths]


def test_a_scraper_line_is_found_by_one_alternation_as_by_each_pattern():
    lines = [line for text in _texts() for line in text.split("\n")]
    lines += ["Produced By CMS 2.0", "PUBLISHDATE :2021", " 当前位置：首页 > 新闻", "浏览量：123",
              "阅读数", "inside_banner", "x inside_banner", "SPECIAL STATEMENT: x", "Baidu",
              "sogou ", "xBaidu", "首页 当前位置", "閱讀數: 12 次"]  # fmt: skip
    assert normalise._scraper_line() is not None  # the lexicon's patterns join
    plain = [any(p.search(line.strip()) for p in normalise.scraper_patterns()) for line in lines]
    assert [normalise.is_scraper_line(line) for line in lines] == plain
    assert sum(plain) >= 10


def test_multiples_without_fan_fold_or_times_are_the_bei_branches_matches():
    texts = [t for t in _texts() if "倍" in t]
    texts += ["增长1.4倍，是去年的两倍，翻了一番", "增长 3 倍 and grew 3 TIMES", "两倍数", "3倍于",
              "一点五倍", "十二倍和2.5倍", "up 3 times, 3-fold"]  # fmt: skip
    assert len(texts) >= 9
    for text in texts:
        full = [(m.span(), m.groupdict()) for m in facts.MULTIPLE.finditer(text)]
        if "番" in text or facts._may_multiply(text.replace("倍", "")):
            continue  # the whole pattern runs, as before
        short = [(m.span(), m.groupdict()) for m in facts.MULTIPLE_ZH.finditer(text)]
        assert [(s, {k: v for k, v in d.items() if v}) for s, d in short] == [
            (s, {k: v for k, v in d.items() if v}) for s, d in full
        ], text[:40]
    assert [i.text for i in facts.multiples("营收增长1.4倍，利润是去年的两倍")] == ["1.4倍", "两倍"]
