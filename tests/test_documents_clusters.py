"""Clusters of copies: a short text never joins a long digest on a few figures that also occur
among the digest's many, an undated text needs stronger evidence, and a Chinese and an English
copy of one event group on their approximate figures (400余户 / more than 400)."""

from pathlib import Path

from reformtrack.documents import services
from reformtrack.documents.models import Document
from reformtrack.documents.text.fingerprint import key_overlap

DIGEST = Path(__file__).parent / "data" / "documents" / "004_5ad8e80663ae9ad9.txt"


def _ingest(text: str, name: str) -> Document:
    document, _created = services.ingest(user=None, data=text.encode(), filename=name)
    return document


def test_an_undated_2022_article_does_not_join_a_2021_digest_on_three_of_its_figures(db):
    digest, _created = services.ingest(user=None, data=DIGEST.read_bytes(), filename="004.txt")
    assert len([k for k in digest.keys if not k.startswith("o")]) > 100
    # Three figures of the digest, from different items (3609, 1421, 873) and three of one item
    for name, text in (
        ("spread.txt", "2022年，某集团推进改革，完成3609项任务，覆盖1421名员工，新增873个岗位。"),
        ("one-item.txt", "2022年，某集团深化改革，累计完成3609项，3158项已验收，499项在推进。"),
    ):
        article = _ingest(text, name)
        assert article.published_on is None
        kin = Document.objects.filter(cluster_id=article.cluster_id).exclude(pk=article.pk)
        assert not kin.exists(), name


def test_overlap_is_divided_by_the_larger_set_of_figures():
    digest = [f"n{i}" for i in range(100, 237)]  # 137 figures
    short = ["n101", "n150", "n200"]
    assert key_overlap(short, digest) < 0.1
    assert key_overlap(short, ["n101", "n150", "n200", "p3.5"]) == 0.75
    # names alone and small counts (3家, 5个) are no evidence of a copy
    assert key_overlap(["oSASAC", "n3", "n5", "p12.5"], ["oSASAC", "n3", "n5", "p12.5"]) == 0.0


def test_an_undated_pair_needs_more_shared_figures():
    two = ["n400", "y900000000000"]
    assert key_overlap(two, two) == 1.0
    assert key_overlap(two, two, undated=True) == 0.0
    three = [*two, "p11.4", "p20"]
    assert key_overlap(three, three, undated=True) >= 0.6
    assert key_overlap(three, [*two, "p11.4", "p35", "n1200"], undated=True) < 0.6


ZH = (
    "国务院国资委召开会议。截至目前，400余户中央企业子企业完成混合所有制改革，引入社会资本"
    "9000多亿元，营业收入同比增长11.4%，八成以上企业实现盈利。"
)
EN = (
    "SASAC said on Monday that more than 400 subsidiaries of central SOEs had completed "
    "mixed-ownership reform, bringing in over 900 billion yuan of private capital. Operating "
    "revenue rose 11.4 percent year on year, and over 80 percent of the firms were profitable."
)


def test_a_chinese_and_an_english_copy_of_one_event_group_on_approximate_figures(db):
    zh = _ingest(ZH, "event-zh.txt")
    en = _ingest(EN, "event-en.txt")
    assert {"n400", "y900000000000", "p80"} <= set(zh.keys) & set(en.keys)
    assert zh.published_on is None and en.published_on is None  # undated: stronger evidence
    assert en.cluster_id == zh.cluster_id
    assert zh.cluster.best == zh  # the original language is the best copy
    other = _ingest(
        "国务院国资委召开会议。400余户中央企业子企业开展对标，利润同比增长9.5%。", "other.txt"
    )
    assert other.cluster_id != zh.cluster_id
