"""Learning swaps from every pair of a cluster's copies, as a reviewer sees it on the review
page: a story with two clean copies and a spun one teaches from both clean copies (each swap
listed with all three documents, counted once however often learning runs); two clean copies
that differ only by an editor's choice both ways (目标/目的) propose nothing; two spinners'
copies are never aligned with each other."""

from pathlib import Path

import pytest

from reformtrack.documents import services, spun_learning
from reformtrack.documents.models import LearnedSubstitution

DEV = Path(__file__).parent / "data" / "documents" / "unseen" / "dev"
FIRST = {"推进": "鞭策", "制度": "轨制", "健全": "康健", "突破": "冲破", "建设": "修建"}
SECOND = {"推进": "推行", "制度": "体制", "健全": "完备", "突破": "打破", "建设": "修造"}


def spin(text: str, swaps: dict[str, str]) -> str:
    for clean, spun in swaps.items():
        text = text.replace(clean, spun)
    return text


def story() -> str:
    from reformtrack.documents.text.normalise import normalise

    names = ("025.txt", "008.txt")
    return "\n".join(normalise((DEV / n).read_text(encoding="utf-8"))[0] for n in names)


def ingest(user, text: str, name: str):
    document, _created = services.ingest(user=user, data=text.encode(), filename=name)
    return document


def pairs() -> set[tuple[str, str]]:
    return set(LearnedSubstitution.objects.values_list("spun", "original"))


def test_two_clean_copies_and_a_spun_one_teach_from_both(people, client_for):
    office = people["reform_office"]
    clean = story()
    first = ingest(office, clean, "clean.txt")
    # the same release as another site printed it: one sentence more, the same wording
    second = ingest(office, clean + "\n国资委有关负责同志出席会议并讲话。", "clean-2.txt")
    spun = ingest(office, spin(clean, FIRST), "spun.txt")
    assert first.cluster_id == second.cluster_id == spun.cluster_id
    proposals = {(p.spun, p.original): p for p in spun_learning.learn_from_cluster(first.cluster)}
    row = proposals[("轨制", "制度")]
    assert set(row.learned_from) == {first.pk, second.pk, spun.pk}
    count = row.count
    spun_learning.learn_from_cluster(first.cluster)  # learning again counts nothing twice
    assert LearnedSubstitution.objects.get(pk=row.pk).count == count

    page = client_for(office).get("/documents/spun/").content.decode()
    assert "轨制" in page and "制度" in page and f"#{spun.pk}" in page


def test_an_editors_choice_both_ways_is_no_swap(people):
    office = people["reform_office"]
    clean = story()
    one = clean + "\n改革的目标是增强活力，目的是提高效率。"
    other = clean + "\n改革的目的是增强活力，目标是提高效率。"
    first = ingest(office, one, "one.txt")
    ingest(office, other, "other.txt")
    spun_learning.learn_from_cluster(first.cluster)
    assert not {("目的", "目标"), ("目标", "目的")} & pairs()


@pytest.mark.parametrize("order", ["first-spinner-first", "second-spinner-first"])
def test_two_spinners_copies_are_never_aligned_with_each_other(people, order):
    office = people["reform_office"]
    clean = story()
    copies = [spin(clean, FIRST), spin(clean, SECOND)]
    if order == "second-spinner-first":
        copies.reverse()
    original = ingest(office, clean, "clean.txt")
    for i, text in enumerate(copies):
        ingest(office, text, f"spun-{i}.txt")
    spun_learning.learn_from_cluster(original.cluster)
    learned = pairs()
    assert {("轨制", "制度"), ("体制", "制度"), ("鞭策", "推进")} <= learned
    between = {(a, b) for a in FIRST.values() for b in SECOND.values()}
    between |= {(b, a) for a, b in between}
    assert not learned & between


def test_the_review_page_marks_a_spun_form_clean_prose_uses_as_an_ordinary_word(people, client_for):
    office = people["reform_office"]
    clean = story()
    original = ingest(office, clean, "clean.txt")
    ingest(office, spin(clean, {**FIRST, "企业": "公司"}), "spun.txt")
    spun_learning.learn_from_cluster(original.cluster)
    assert {("公司", "企业"), ("轨制", "制度")} <= pairs()
    page = client_for(office).get("/documents/spun/").content.decode()
    rows = {row.split("</td>")[0]: row for row in page.split("<tr data-swap=")[1:]}
    company = next(row for row in rows.values() if "<td>公司</td><td>企业</td>" in row)
    rare = next(row for row in rows.values() if "<td>轨制</td><td>制度</td>" in row)
    assert "常用词" in company and "常用词" not in rare  # "ordinary word"
    assert 'data-testid="in-clean-prose"' in rare
