"""Spun repair that learns: swaps found by aligning a clean and a spun copy of one story (a
cluster holding both), proposed for review, used by repair once accepted and only where the
clean library's n-gram model confirms them in context; weak table entries leave ordinary
words alone (工业企业, 使命担当); junk removal keeps real terms (冶金40MPa超高压)."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reformtrack.documents import services, spun_learning
from reformtrack.documents.models import LearnedSubstitution, SwapStatus
from reformtrack.documents.spun_learning import seed_texts
from reformtrack.documents.text.ngram import CharModel
from reformtrack.documents.text.normalise import normalise
from reformtrack.documents.text.spun import detect_and_repair
from reformtrack.documents.text.spun_learn import Swap, align, repair

DEV = Path(__file__).parent / "data" / "documents" / "unseen" / "dev"
# synonyms the shipped table does not hold (a spinner's choices)
SWAPS = {"推进": "鞭策", "制度": "轨制", "现代": "今世", "完善": "完美", "深入": "深切",
         "重点": "要点", "领域": "范畴", "取得": "博得", "实施": "实行", "健全": "康健",
         "特色": "特质", "突破": "冲破", "加快": "加紧", "建设": "修建"}  # fmt: skip


def spin(text: str) -> str:
    for clean, spun in SWAPS.items():
        text = text.replace(clean, spun)
    return text


def clean_text(name: str) -> str:
    return normalise((DEV / name).read_text(encoding="utf-8"))[0]


def test_aligning_copies_learns_the_swaps_widened_to_words():
    clean = clean_text("008.txt")
    learned = align(clean, spin(clean))
    pairs = {(s.spun, s.clean) for s in learned}
    assert {("轨制", "制度"), ("鞭策", "推进"), ("康健", "健全"), ("冲破", "突破")} <= pairs
    assert ("今世化", "现代化") in pairs or ("今世", "现代") in pairs  # widened to the word
    assert all(len(s.spun) <= 6 for s in learned)


def test_learned_swaps_repair_another_spun_text_and_leave_clean_text_alone():
    library = [clean_text("008.txt"), clean_text("020.txt"), *seed_texts()]
    model = CharModel(library)
    swaps = [*align(library[0], spin(library[0])), *align(library[1], spin(library[1]))]
    other = clean_text("025.txt") + "\n" + clean_text("005.txt")  # clean copies never seen
    result = repair(spin(other), swaps, model)
    assert result.spun and len(result.evidence) >= 4
    introduced = [spun for clean, spun in SWAPS.items() if clean in other and spun not in other]
    before = sum(spin(other).count(spun) for spun in introduced)
    assert sum(result.text.count(spun) for spun in introduced) <= 0.1 * before
    untouched = repair(clean_text("001.txt"), swaps, model)
    assert not untouched.spun and untouched.changes == []


def test_a_common_word_is_no_evidence_of_spinning():
    model = CharModel(seed_texts())
    swaps = [Swap("目的", "目标"), Swap("严重", "重大"), Swap("希望", "进展"), Swap("明白", "明确")]
    text = "会议的目的是明白任务，希望各单位防止严重问题。"
    assert repair(text, swaps, model).text == text


def test_weak_table_entries_leave_ordinary_words_where_the_library_uses_them():
    library = CharModel([*seed_texts(), "推动工业企业数字化转型。牢记使命担当。取得明显效果。"])
    spun = "清静手艺聚会立异生长，推动工业企业数字化转型，牢记使命担当，取得明显效果。"
    result = detect_and_repair(spun, model=library, learned=[])
    assert result.spun
    assert "安全技术会议创新发展" in result.text
    assert "工业企业" in result.text and "使命担当" in result.text and "效果" in result.text
    clean = "推动工业企业数字化转型，牢记使命担当，取得明显效果。"
    assert detect_and_repair(clean, model=library, learned=[]).text == clean


def test_junk_removal_keeps_real_terms():
    text, _repairs = normalise("加快冶金40MPa超高压装备研发，推进Ab3xK9q改革。")
    assert "冶金40MPa超高压" in text and "Ab3xK9q" not in text


@pytest.fixture
def pair(people):
    """A clean copy and a spun copy of one story, uploaded by group A's office."""
    office = people["reform_office"]
    clean = clean_text("025.txt") + "\n" + clean_text("008.txt")
    first, _created = services.ingest(user=office, data=clean.encode(), filename="clean.txt")
    second, _created = services.ingest(user=office, data=spin(clean).encode(), filename="s.txt")
    assert first.cluster_id == second.cluster_id  # one story
    return first, second


def test_a_cluster_teaches_proposals_that_repair_uses_once_accepted(pair, people):
    clean, spun = pair
    proposals = spun_learning.learn_from_cluster(clean.cluster)
    by_pair = {(p.spun, p.original): p for p in proposals}
    proposal = by_pair[("轨制", "制度")]
    assert proposal.status == SwapStatus.PROPOSED and proposal.owner == clean.owner
    assert set(proposal.learned_from) == {clean.pk, spun.pk}
    spun_learning.learn_from_cluster(clean.cluster)  # learning again counts nothing twice
    assert LearnedSubstitution.objects.get(pk=proposal.pk).count == proposal.count

    stories = ("005.txt", "016.txt", "012.txt")  # other stories spun with the same synonyms
    other = spin("\n".join(clean_text(name) for name in stories))
    assert not detect_and_repair(other).spun  # proposals are not used before review
    office = people["reform_office"]
    for row in proposals:
        spun_learning.decide(user=office, substitution=row, status="accepted", version=row.version)
    repaired = detect_and_repair(other)
    assert repaired.spun and "轨制" not in repaired.text and "今世" not in repaired.text
    assert "深切" not in repaired.text and "康健" not in repaired.text
    assert all(repaired.text[c["start"] : c["end"]] == c["after"] for c in repaired.changes)


def test_reviewing_is_scoped_and_a_stale_decision_is_refused(pair, people):
    assert spun_learning.learn_from_documents([pair[0], pair[1], None]) > 0  # after a batch
    proposal = LearnedSubstitution.objects.order_by("pk").first()
    with pytest.raises(PermissionDenied):
        spun_learning.decide(user=people["outsider"], substitution=proposal,
                             status="accepted", version=proposal.version)  # fmt: skip
    assert not LearnedSubstitution.objects.visible_to(people["outsider"]).exists()
    office = people["reform_office"]
    spun_learning.decide(user=office, substitution=proposal, status="rejected", version=1)
    with pytest.raises(ValidationError):
        spun_learning.decide(user=office, substitution=proposal, status="accepted", version=1)
    assert LearnedSubstitution.objects.get(pk=proposal.pk).status == SwapStatus.REJECTED


def test_the_review_page_lists_proposals_and_accepts_one(pair, people, client_for):
    proposal = next(
        p for p in spun_learning.learn_from_cluster(pair[0].cluster) if p.spun == "轨制"
    )
    office = client_for(people["reform_office"])
    page = office.get("/documents/spun/").content.decode()
    assert "轨制" in page and "制度" in page and 'value="accepted"' in page
    response = office.post(f"/documents/spun/{proposal.pk}/decide/",
                           {"status": "accepted", "version": proposal.version})  # fmt: skip
    assert response.status_code == 302
    assert LearnedSubstitution.objects.get(pk=proposal.pk).status == SwapStatus.ACCEPTED
    url = f"/documents/spun/{proposal.pk}/decide/"
    stale = office.post(url, {"status": "rejected", "version": proposal.version}, follow=True)
    assert "刷新" in stale.content.decode()  # refused: someone decided meanwhile
    viewer = client_for(people["viewer"]).get("/documents/spun/").content.decode()
    assert "轨制" in viewer and 'value="accepted"' not in viewer  # reads, may not decide
    outsider = client_for(people["outsider"])
    assert "轨制" not in outsider.get("/documents/spun/").content.decode()
    refused = outsider.post(f"/documents/spun/{proposal.pk}/decide/",
                            {"status": "rejected", "version": 2})  # fmt: skip
    assert refused.status_code == 404  # another group's proposal: not found, not named
