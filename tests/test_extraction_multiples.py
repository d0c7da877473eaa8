"""Multiples (倍, 两倍, 翻一番, "increased 1.4 times", "three times that of", 3-fold) are
extracted, stored as items of their own kind, scored by `docs evaluate` and shown on the
document's page as "1.4 倍" / "1.4 times"; vague or frequency words are not multiples."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from reformtrack.documents.display import fact_value
from reformtrack.documents.evaluation import evaluate_documents
from reformtrack.documents.models import Document, Extraction, ItemKind
from reformtrack.documents.pipeline import process
from reformtrack.documents.text.facts import multiples


def values(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.value["value"]) for m in multiples(text)]


def test_chinese_multiples_in_digits_numerals_and_doublings():
    assert values("利润增长1.4倍，营业收入是去年的两倍，增长二点五倍。") == [
        ("1.4倍", "1.4"), ("两倍", "2"), ("二点五倍", "2.5")
    ]  # fmt: skip
    assert values("到2035年经济总量翻一番，人均收入翻两番。") == [("翻一番", "2"), ("翻两番", "4")]


def test_english_multiples_by_a_growth_verb_a_comparison_or_fold():
    text = (
        "The total EVA increased 1.4 times from a year earlier. Profits were three times that "
        "of 2019, a 3-fold rise and a threefold one."
    )
    assert values(text) == [
        ("1.4 times", "1.4"), ("three times", "3"), ("3-fold", "3"), ("threefold", "3")
    ]  # fmt: skip


def test_vague_amounts_frequencies_and_multipliers_of_a_count_are_no_multiples():
    assert values("数倍于同行，倍数效应明显。The board met three times last year.") == []


def test_the_pipeline_returns_multiples_with_what_they_multiply():
    done = process("中央企业利润总额增长1.4倍。".encode(), "t.txt")
    found = [i for i in done.items if i["kind"] == "multiple"]
    assert [(i["text"], i["value"]["value"]) for i in found] == [("1.4倍", "1.4")]
    assert "利润总额" in found[0]["value"]["what"]


def test_evaluate_scores_multiples():
    gold = {"documents": [{"file": "a.txt", "language": "zh-Hans", "categories": ["multiple"],
                           "items": [{"kind": "multiple", "value": 1.4}]}]}  # fmt: skip
    found = {"a.txt": {"items": [{"kind": "multiple", "text": "1.4倍", "value": {"value": "1.4"}}]}}
    row = {r["name"]: r for r in evaluate_documents(gold, found)["types"]}["multiple"]
    assert (row["correct"], row["found"], row["gold"]) == (1, 1, 1)


def test_a_stored_multiple_reads_as_times_in_both_languages():
    item = Extraction(kind=ItemKind.MULTIPLE, value={"value": "1.4", "what": "利润"})
    with translation.override("zh-hans"):
        assert fact_value(item, {}) == "1.4 倍"
        assert str(ItemKind.MULTIPLE.label) == "倍数"
    with translation.override("en"):
        assert fact_value(item, {}) == "1.4 times"


def test_an_uploaded_article_keeps_its_multiple_and_shows_it(client_for, people):
    office = client_for(people["reform_office"])
    text = "国务院国资委：2023年中央企业经济增加值同比增长1.4倍，利润总额增长8%。"
    office.post(
        reverse("documents:upload"),
        {"file": SimpleUploadedFile("multiple.txt", text.encode())},
    )
    document = Document.objects.get()
    stored = Extraction.objects.get(document=document, kind=ItemKind.MULTIPLE)
    assert stored.value["value"] == "1.4" and stored.text == "1.4倍"
    page = office.get(document.get_absolute_url()).content.decode()
    assert 'data-kind="multiple"' in page and "1.4 倍" in page
    assert '<mark class="multiple"' in page
