"""Spun repair with learned swaps as a user sees it: once swaps learned from a clean and a
spun copy are accepted, a spun copy of another story is restored, while a clean appointment
story that uses the spinner's words as ordinary words (晋升, 职位, 义务, 目的) is never
"repaired"; a document is found spun by its own evidence, with a threshold calibrated on the
clean library."""

from pathlib import Path

import pytest

from reformtrack.documents import services, spun_learning
from reformtrack.documents.models import Document, LearnedSubstitution
from reformtrack.documents.spun_learning import seed_texts
from reformtrack.documents.text.ngram import CharModel
from reformtrack.documents.text.normalise import normalise
from reformtrack.documents.text.spun_learn import align, calibrate, document_score, repair

DEV = Path(__file__).parent / "data" / "documents" / "unseen" / "dev"
# a spinner's synonyms the shipped table does not hold, common and rare words mixed
SWAPS = {"提升": "晋升", "岗位": "职位", "责任": "义务", "目标": "目的", "推进": "鞭策",
         "制度": "轨制", "现代": "今世", "完善": "完美", "深入": "深切", "重点": "要点",
         "领域": "范畴", "取得": "博得", "健全": "康健", "突破": "冲破", "加快": "加紧",
         "建设": "修建", "机制": "机理", "考核": "查核"}  # fmt: skip

APPOINTMENT = (
    "集团公司召开干部大会宣布任职决定\n"
    "经集团党委研究决定，李明同志任集团公司副总经理，王芳同志晋升为财务部总经理。"
    "李明同志长期在生产经营一线工作，先后在多个职位上历练，熟悉企业管理，工作业绩突出。"
    "王芳同志晋升前任财务部副总经理，牵头完成了全面预算管理改革。"
    "会议指出，这次干部调整是集团党委从事业发展全局出发作出的决定，目的是进一步配强班子。"
    "会议要求，新任职干部要牢记肩负的义务和责任，明确工作目标，尽快进入角色，"
    "坚持以高质量党建引领高质量发展，团结带领广大职工完成全年各项目标任务。"
)


def spin(text: str) -> str:
    for clean, spun in SWAPS.items():
        text = text.replace(clean, spun)
    return text


def clean_text(name: str) -> str:
    return normalise((DEV / name).read_text(encoding="utf-8"))[0]


@pytest.fixture
def accepted(people):
    """A clean copy and a spun copy of one story uploaded by group A's office; every swap
    learned from them accepted by the office."""
    office = people["reform_office"]
    clean = clean_text("025.txt") + "\n" + clean_text("008.txt") + "\n" + clean_text("020.txt")
    first, _created = services.ingest(user=office, data=clean.encode(), filename="clean.txt")
    services.ingest(user=office, data=spin(clean).encode(), filename="spun.txt")
    proposals = spun_learning.learn_from_cluster(first.cluster)
    for row in proposals:
        spun_learning.decide(user=office, substitution=row, status="accepted", version=row.version)
    pairs = set(LearnedSubstitution.objects.values_list("spun", "original"))
    assert {("晋升", "提升"), ("职位", "岗位"), ("目的", "目标"), ("轨制", "制度")} <= pairs
    return office


def test_a_clean_appointment_story_is_never_repaired(accepted):
    document, _created = services.ingest(
        user=accepted, data=APPOINTMENT.encode(), filename="appointment.txt"
    )
    document = Document.objects.get(pk=document.pk)
    assert not document.spun and document.changes == []
    assert "王芳同志晋升为财务部总经理" in document.text
    assert "多个职位上历练" in document.text and "肩负的义务和责任" in document.text


def test_a_spun_copy_with_learned_swaps_is_restored(accepted):
    stories = "\n".join(clean_text(name) for name in ("005.txt", "016.txt", "012.txt"))
    document, _created = services.ingest(
        user=accepted, data=spin(stories).encode(), filename="spun-other.txt"
    )
    document = Document.objects.get(pk=document.pk)
    assert document.spun
    introduced = [s for c, s in SWAPS.items() if c in stories and s not in stories]
    before = sum(spin(stories).count(s) for s in introduced)
    after = sum(document.text.count(s) for s in introduced)
    assert after <= 0.2 * before  # four swaps in five undone at least (晋升 reads well)
    for rare in ("轨制", "今世", "鞭策", "康健"):  # a spinner's rare words: every one
        assert rare not in document.text
    assert "中国特色现代企业制度" in document.text
    learned = [c for c in document.changes if c.get("learned")]
    assert learned and all(document.text[c["start"] : c["end"]] == c["after"] for c in learned)


def test_the_library_threshold_sits_above_every_clean_library_text(accepted):
    model, swaps = spun_learning.current()
    threshold = spun_learning.threshold()
    clean = [*seed_texts(), *spun_learning._clean_library().values_list("text", flat=True)]
    assert all(document_score(t, swaps, model, leave_out=True) < threshold for t in clean)


def test_a_sentence_using_a_spinners_words_as_ordinary_words_is_left_alone():
    library = [clean_text(name) for name in ("008.txt", "020.txt", "025.txt")]
    model = CharModel([*library, *seed_texts()])
    swaps = [s for text in library for s in align(text, spin(text))]
    threshold = calibrate([*library, *seed_texts()], swaps, model)
    sentence = "讲明白改革的目的和意义，对查核发现的问题限期整改，明确职位职责和义务。"
    result = repair(sentence, swaps, model, threshold=threshold)
    assert not result.spun and result.text == sentence
    spun_story = spin(clean_text("001.txt"))
    restored = repair(spun_story, swaps, model, threshold=threshold)
    assert restored.spun and restored.score >= threshold
    assert "鞭策" in spun_story and "鞭策" not in restored.text
