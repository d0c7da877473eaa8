"""The brief's defects on the digest seeds/004: each news item carries its own source (the
outlet its title names, else the organisation it is about), never the digest compiler's; the
key figures are the important ones (ratios and targets before small counts); Traditional
text becomes Simplified with 鍊 as 链 in 产业链/供应链 and as 炼 only in smelting words."""

import datetime as dt
from pathlib import Path

import pytest

from reformtrack.documents import briefs, services
from reformtrack.documents.models import Document
from reformtrack.documents.text.convert import to_simplified

from ._demo_once import built_once
from .conftest import build_tree

DIGEST = Path(__file__).parent / "data" / "documents" / "004_5ad8e80663ae9ad9.txt"


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The tree, the digest ingested and the week's brief, built once for the module's tests
    (they only read it; tests/_demo_once.py rolls it back after them)."""

    def build():
        build_tree()
        digest, _created = services.ingest(user=None, data=DIGEST.read_bytes(), filename="004.txt")
        return digest, briefs.build_brief(user=None, week=dt.date(2021, 8, 2))

    with built_once(django_db_blocker, tmp_path_factory.mktemp("brief-sources"), build) as pair:
        yield pair


@pytest.fixture
def brief(built, db):
    return built


def test_each_news_item_has_its_own_source_not_the_digests(brief):
    digest, weekly = brief
    assert digest.source == "南京卓遠"  # the compiler of the digest
    news = {e.title: e.source for e in weekly.entries.filter(part="news")}
    assert "南京卓远" not in news.values() and "南京卓遠" not in news.values()
    assert news["人民邮电报：扬帆数智化时代政企新蓝海"] == "人民邮电报"
    assert news["国资报告：中国中车深化改革 加快创建世界一流示范企业"] == "国资报告"
    # the organisation it is about, inferred (its code where the tree lacks it, as for any
    # document)
    assert news["国企改革样本鞍钢集团：依靠三项制度改革为企业增活力、提效益"] in (
        "鞍钢集团",
        "ANSTEEL",
    )
    item = Document.objects.get(parent=digest, title__startswith="國企改革樣本鞍鋼集團")
    assert item.source_inferred  # not stated: inferred and marked so


def test_key_figures_are_chosen_by_importance_not_order(brief):
    _digest, weekly = brief
    suqian = weekly.entries.get(title__startswith="宿迁市国资委")
    facts = suqian.key_facts.split("\n")
    assert len(facts) == 3
    assert any("73%" in f for f in facts)  # the completion ratio, not the first small counts
    assert not any(f.endswith("27户") for f in facts)


def test_scores_put_ratios_and_targets_before_small_counts():
    score = briefs.fact_score
    assert score("target", {"what": "到2022年完成率达到70%"}, "70%") > score(
        "count", {"count": 3, "what": "3家企业"}, "3家"
    )
    assert score("percent", {"what": "营业收入同比增长11.4%"}, "11.4%") > score(
        "money", {"value": "2000000000", "what": "投资20亿元"}, "20亿元"
    )
    assert score("count", {"count": 5}, "5家") < score("count", {"count": 400}, "400余户")


def test_chain_words_become_链_and_smelting_words_炼():
    assert to_simplified("強化產業鍊供應鍊韌性，推行鍊長制，官網鍊接") == (
        "强化产业链供应链韧性，推行链长制，官网链接"
    )
    assert to_simplified("冶鍊企業鍛鍊隊伍，鍊鋼") == "冶炼企业锻炼队伍，炼钢"
    text = to_simplified(DIGEST.read_text(encoding="utf-8"))
    assert "产业炼" not in text and "供应炼" not in text and text.count("产业链") >= 10


def test_the_brief_has_no_产业炼(brief):
    _digest, weekly = brief
    html = briefs.render(weekly, "html").decode("utf-8")
    assert "产业链" in html and "产业炼" not in html and "供应炼" not in html
