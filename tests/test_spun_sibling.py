"""A spun copy whose cluster holds a clean copy is shown restored from it, word by word (swaps
never learned and copies too short to be found spun included); figures and text only one copy
has are left; the clean copy is never "restored" from the spun one; a copy the reader may not
see is never the source; showing the page writes nothing."""

from pathlib import Path

import pytest

from reformtrack.documents import services, spun_learning
from reformtrack.documents.models import Document
from reformtrack.documents.text.ngram import CharModel
from reformtrack.documents.text.normalise import normalise
from reformtrack.documents.text.spun_sibling import merge, restoration, restore

DEV = Path(__file__).parent / "data" / "documents" / "unseen" / "dev"
# a spinner's synonyms nothing has learned (neither the table nor any proposal holds them)
SWAPS = {"推进": "鞭策", "制度": "轨制", "现代": "今世", "完善": "完美", "深入": "深切",
         "重点": "要点", "领域": "范畴", "健全": "康健", "突破": "冲破",
         "建设": "修建"}  # fmt: skip


def spin(text: str) -> str:
    for clean, spun in SWAPS.items():
        text = text.replace(clean, spun)
    return text


def story() -> str:
    names = ("025.txt", "008.txt")
    return "\n".join(normalise((DEV / n).read_text(encoding="utf-8"))[0] for n in names)


def test_every_swapped_word_is_restored_from_the_clean_copy():
    clean = story()
    result = restore(spin(clean), clean)
    assert result.text == clean
    assert result.changes and all(spin(c["after"]) == c["before"] for c in result.changes)
    for change in result.changes:  # each change where the restored text holds it
        assert result.text[change["start"] : change["end"]] == change["after"]


def test_figures_names_and_text_one_copy_adds_are_left():
    clean = "营业收入增长11.4%，推进国有企业改革。"
    spun = "营业收入增长11.5%，鞭策国有企业改革。Ab3xK9q这是转载。"
    result = restore(spun, clean)
    assert result.text == "营业收入增长11.5%，推进国有企业改革。Ab3xK9q这是转载。"
    assert [(c["before"], c["after"]) for c in result.changes] == [("鞭策", "推进")]


def test_restoring_after_a_wrong_learned_repair_shows_one_change_from_the_spun_word():
    clean = "完善现代企业制度。"
    spun = "完美今世企业轨制。"
    learned = "完美今世企业体系。"  # a learned repair put 体系 where the clean copy has 制度
    first = [{"before": "轨制", "after": "体系", "start": 6, "end": 8}]
    second = restore(learned, clean)
    changes = merge(learned, first, second.changes)
    assert second.text == clean
    assert [(c["before"], c["after"]) for c in changes] == [
        ("完美", "完善"), ("今世", "现代"), ("轨制", "制度")]  # fmt: skip
    assert all(clean[c["start"] : c["end"]] == c["after"] for c in changes)
    assert spun != clean


@pytest.fixture
def pair(people):
    """A clean copy and a spun copy of one story, uploaded by group A's office."""
    office = people["reform_office"]
    clean = story()
    first, _created = services.ingest(user=office, data=clean.encode(), filename="clean.txt")
    second, _created = services.ingest(user=office, data=spin(clean).encode(), filename="s.txt")
    assert first.cluster_id == second.cluster_id  # one story
    return first, second


def test_the_spun_copy_page_shows_it_restored_from_the_clean_copy(pair, people, client_for):
    clean, spun = pair
    before = list(Document.objects.order_by("pk").values_list("text", "changes", "spun"))
    page = client_for(people["reform_office"]).get(spun.get_absolute_url()).content.decode()
    assert 'data-testid="restored-from"' in page and clean.get_absolute_url() in page
    assert 'title="鞭策 → 推进"' in page and 'title="轨制 → 制度"' in page
    # reading writes nothing: the stored text and repairs are as they were
    after = list(Document.objects.order_by("pk").values_list("text", "changes", "spun"))
    assert after == before
    shown = spun_learning.shown_repairs(user=people["reform_office"], document=spun)
    restored = "".join(piece for piece, _change in shown["segments"])
    assert restored == clean.text


def test_the_clean_copy_is_never_restored_from_the_spun_one(pair, people, client_for):
    clean, _spun = pair
    assert spun_learning.clean_sibling(user=people["reform_office"], document=clean) is None
    page = client_for(people["reform_office"]).get(clean.get_absolute_url()).content.decode()
    assert 'data-testid="restored-from"' not in page and "鞭策" not in page


def test_a_clean_copy_the_reader_may_not_see_is_no_source(people):
    clean = story()
    services.ingest(user=people["outsider"], data=clean.encode(), filename="clean.txt")
    spun, _created = services.ingest(
        user=people["reform_office"], data=spin(clean).encode(), filename="s.txt"
    )
    if spun.cluster_id is None:
        pytest.skip("copies of two groups are not clustered together")
    assert spun_learning.clean_sibling(user=people["reform_office"], document=spun) is None
    shown = spun_learning.shown_repairs(user=people["reform_office"], document=spun)
    assert shown is None or "sibling" not in shown


def test_a_copy_not_found_spun_is_restored_only_where_that_reads_cleaner():
    model = CharModel(["推进国有企业改革。"] * 5)
    copy, sibling = "鞭策国有企业改革。", "推进国有企业改革。"
    restored = restoration(copy, [], False, sibling, model)
    assert restored is not None and restored.text == sibling
    # the other way round: the copy reads better than the "clean" one, two editors' wordings
    assert restoration(sibling, [], False, copy, model) is None
    assert restoration(sibling, [], True, copy, model) is not None  # found spun: restored
