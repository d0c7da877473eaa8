"""Ingestion into the database: the command, idempotence, search, clusters, review."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import translation

from reformtrack.documents import selectors, services
from reformtrack.documents.models import Document, Extraction
from reformtrack.documents.pipeline import process

from ._demo_once import built_once
from .conftest import build_tree

DATA = Path(__file__).parent / "data" / "documents"


def run(*args) -> str:
    out = StringIO()
    call_command("docs", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


class TestSeeded:
    """The five articles ingested by the operator (public documents of the top supervisor),
    once for the tests of this class: each test's writes roll back to it
    (tests/_demo_once.py), and the module's other tests never see it."""

    @pytest.fixture(scope="class")
    @classmethod
    def seeded_once(cls, django_db_setup, django_db_blocker, tmp_path_factory):
        folder = tmp_path_factory.mktemp("seeds")

        def build():  # in the default UI language, as every test starts (conftest)
            translation.activate(settings.LANGUAGE_CODE)
            orgs = build_tree()
            (folder / "seeds").mkdir()
            for path in DATA.glob("0*.txt"):
                shutil.copy(path, folder / "seeds" / path.name)
            rows = [
                json.loads(line)
                for line in run("ingest", str(folder / "seeds"), "--json").splitlines()
            ]
            return orgs, {Path(r["file"]).name[:3]: r for r in rows}

        with built_once(django_db_blocker, folder, build) as built:
            yield built

    @pytest.fixture
    def tree(self, seeded_once, db):
        return seeded_once[0]

    @pytest.fixture
    def seeds(self, seeded_once, db):
        return seeded_once[1]

    def test_ingest_prints_one_object_per_document(self, seeds):
        assert set(seeds) == {"000", "001", "002", "003", "004"}
        spun = seeds["003"]
        assert spun["language"] == "zh-Hans" and spun["spun"] is True
        assert spun["published_on"] == "2022-05-19" and spun["source"] == "国务院国资委网站"
        assert seeds["000"]["language"] == "he" and seeds["000"]["facts"] >= 7
        assert all(r["cluster"] for r in seeds.values())
        assert seeds["004"]["entities"] > 20

    def test_the_same_file_twice_is_a_no_op(self, seeds, tmp_path):
        again = json.loads(run("ingest", str(DATA / "003_6edbb738d41674c3.txt"), "--json"))
        assert again["created"] is False and again["id"] == seeds["003"]["id"]
        assert Document.objects.count() == 5 + 22  # the weekly brief's 4 policies and 18 news

    def test_a_digest_is_cut_into_its_policies_and_news(self, seeds):
        digest = Document.objects.get(pk=seeds["004"]["id"])
        policies = digest.entries.filter(part="policy").order_by("id")
        assert policies.count() == 4 and digest.entries.filter(part="news").count() == 18
        first = policies[0]
        assert first.title == "國務院總理李克強簽署國務院令公布《建設工程抗震管理條例》"
        assert (first.authority, first.doc_number) == ("國務院辦公廳", "國令第744号")
        assert str(first.published_on) == "2021-08-04"
        assert first.links == ["http://www.gov.cn/zhengce/content/2021-08/04/content_5629341.htm"]
        assert first.analysis.startswith("黨中央、國務院高度重視建設工程抗震工作")
        suqian = digest.entries.get(title__startswith="宿遷市國資委")
        targets = suqian.items.filter(kind="target")
        assert {(t.value["percent"], t.value["deadline"]) for t in targets} == {
            ("70", "2021-08-31"),
            ("80", "2021-10-31"),
        }

    def test_show_gives_items_with_spans(self, seeds):
        shown = json.loads(run("show", str(seeds["000"]["id"]), "--json"))
        ratings = [i for i in shown["items"] if i["kind"] == "rating"]
        assert len(ratings) == 7
        text = Document.objects.get(pk=seeds["000"]["id"]).text
        assert all(text[i["start"] : i["end"]] == i["text"] for i in ratings)

    def test_search_finds_the_spun_copy_by_its_clean_words(self, seeds, people):
        user = people["viewer"]
        for word in ("产业链", "安全", "產業鏈"):
            found = list(selectors.search(user=user, query=word))
            assert seeds["003"]["id"] in [d.pk for d in found], word
        assert not list(selectors.search(user=people["system"], query="产业链"))  # administrators
        english = selectors.search(user=user, query="central enterprises", language="en")
        assert [d.pk for d in english] == [seeds["001"]["id"]]
        by_org = selectors.search(user=user, organisation="HAOHUA")
        assert [d.pk for d in by_org] == [seeds["000"]["id"]]
        from_cli = json.loads(run("search", "产业链", "--json"))
        assert seeds["003"]["id"] in [row["id"] for row in from_cli]

    def test_spun_and_clean_copies_share_a_cluster_whose_best_copy_is_clean(self, seeds):
        clean = process((DATA / "003_6edbb738d41674c3.txt").read_bytes(), "003.txt").text
        document = _ingest_text(clean, "003-clean.txt")
        assert not document.spun
        spun = Document.objects.get(pk=seeds["003"]["id"])
        assert document.cluster_id == spun.cluster_id
        assert document.cluster.best == document


def test_evaluate_prints_precision_and_recall(db):
    out = run("evaluate", str(DATA / "gold.yaml"))
    assert "overall precision" in out and "recall" in out
    report = json.loads(run("evaluate", str(DATA / "gold.yaml"), "--json"))
    assert report["overall"]["precision"] >= 0.9 and report["overall"]["recall"] >= 0.9


def _ingest_text(text: str, name: str) -> Document:
    document, _created = services.ingest(user=None, data=text.encode(), filename=name)
    return document


def test_copies_in_other_languages_group_by_numbers_not_other_years(db):
    zh = _ingest_text(
        "浙江省属企业半年报\n发布时间：2021-07-29\n2021年上半年，浙江省属企业实现营业收入7404亿元、"
        "利润总额281亿元，同比增长52.2%、92.6%。",
        "zj-zh.txt",
    )
    en = _ingest_text(
        "Zhejiang provincial enterprises report strong half year\nDate: 2021-07-30\n"
        "In the first half of 2021 Zhejiang provincial enterprises achieved operating revenue of "
        "740.4 billion yuan and total profit of 28.1 billion yuan, up 52.2% and 92.6%.",
        "zj-en.txt",
    )
    later = _ingest_text(
        "浙江省属企业半年报\n发布时间：2022-07-28\n2022年上半年，浙江省属企业实现营业收入8123亿元，"
        "去年同期营业收入7404亿元、利润总额281亿元，同比增长52.2%、92.6%。",
        "zj-2022.txt",
    )
    assert en.cluster_id == zh.cluster_id
    assert later.cluster_id != zh.cluster_id
    assert zh.cluster.best == zh  # original language


def test_hostile_or_unknown_files_are_refused_cleanly(db):
    with pytest.raises(ValidationError, match="unsupported"):
        services.ingest(user=None, data=b"MZ\x90", filename="virus.exe")
    with pytest.raises(ValidationError, match="cannot read pdf"):
        services.ingest(user=None, data=b"not a pdf", filename="broken.pdf")
    assert not Document.objects.exists()


def test_review_needs_change_on_the_organisation(tree, people):
    document = _ingest_text(
        "甲子公司新闻\n发布时间：2021-08-02\n在专项评估中，甲子公司被评为标杆。", "a.txt"
    )
    item = Extraction.objects.get(document=document, kind="rating")
    assert item.org_code == "A-SUB" and item.value["rating"] == "标杆"
    with pytest.raises(PermissionDenied):
        services.review(user=people["outsider"], item=item, accept=True)
    with pytest.raises(PermissionDenied):
        services.review(user=people["viewer"], item=item, accept=True)
    services.review(user=people["reform_office"], item=item, accept=True)
    item.refresh_from_db()
    assert item.review == "accepted" and item.reviewed_by == people["reform_office"]


def test_uploading_needs_a_business_role(people):
    with pytest.raises(PermissionDenied):
        services.ingest(user=people["system"], data=b"hello world", filename="a.txt")


def test_an_inferred_publisher_is_named_as_in_the_tree(tree):
    from reformtrack.orgs import services as org_services

    org_services.create_organisation(
        user=None, parent=tree["SASAC"], code="SINOCHEM", name_zh="中国中化控股有限责任公司",
        short_name_zh="中国中化", kind="group",
    )  # fmt: skip
    path = DATA / "000_f040f981a4a9feab.txt"
    document, _created = services.ingest(user=None, data=path.read_bytes(), filename=path.name)
    assert document.source == "中国中化"
