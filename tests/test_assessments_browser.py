"""The self-assessment page in a real Chromium: an enterprise user scores two indicators,
attaches a file, sees the running total and the projected rating move, then submits — with
no console error and nothing fetched from outside the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from reformtrack.assessments import selectors
from reformtrack.assessments.models import EvidenceFile
from reformtrack.assessments.services.campaigns import save_self_score
from reformtrack.assessments.services.evidence import add_score_evidence
from reformtrack.programs.demo import MINIMAL_PDF

from .browser import signed_in_page
from .conftest import CHROMIUM, DATA
from .test_assessments_core import campaign, rule_set  # noqa: F401  (fixtures)

LEFT_FOR_THE_BROWSER = ("D1-01", "D1-03")  # yes/no and manual points


def prefill(assessment, user):
    """Every indicator but the two the browser scores: checklist items, yes, full points;
    the required evidence but D1-03's (the browser attaches that one)."""
    for score in assessment.scores.select_related("indicator"):
        ind = score.indicator
        if ind.code not in LEFT_FOR_THE_BROWSER:
            # D1-02 one checklist item short, so the browser's 10 points change the band.
            items = len(ind.items) - (1 if ind.code == "D1-02" else 0)
            save_self_score(user=user, score=score, checked=list(range(items)),
                            yes=True, points=ind.max_points, justification="已落实")  # fmt: skip
        if ind.evidence_zh and ind.code != "D1-03":
            upload = SimpleUploadedFile("证明.pdf", MINIMAL_PDF, "application/pdf")
            add_score_evidence(user=user, score=score, upload=upload, title="证明")


def chinese(band) -> str:
    """A rating band's label as the page shows it (Chinese), whatever language an earlier test
    left active in this thread."""
    with translation.override("zh-hans"):
        return band.label


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
def test_enterprise_self_assesses_and_submits_in_chromium(live_server, campaign, people):  # noqa: F811
    from playwright.sync_api import expect

    assessment = campaign.assessments.get(organisation__code="A-SUB")
    prefill(assessment, people["contributor"])
    before = selectors.running_total(assessment)
    scores = {s.indicator.code: s for s in assessment.scores.select_related("indicator")}
    yes_no, manual = scores["D1-01"], scores["D1-03"]

    with signed_in_page(live_server, assessment.get_absolute_url(), "contrib_a") as (page, seen):
        running = page.get_by_test_id("running")
        expect(running).to_contain_text(f"预计评级：{chinese(before.rating)}")
        shown_before = running.inner_text()

        page.locator(f'select[name="yes_{yes_no.pk}"]').select_option("yes")
        page.locator(f'input[name="points_{manual.pk}"]').fill(str(manual.indicator.max_points))
        page.locator(f'input[name="file_{manual.pk}"]').set_input_files(
            DATA / "assessments" / "board-resolution.pdf"
        )
        with page.expect_navigation():
            page.get_by_role("button", name="保存自评").click()
        expect(page.locator("ul.messages")).to_contain_text("自评已保存")
        after = selectors.running_total(assessment)
        assert after.points == before.points + 10 and after.rating != before.rating
        expect(running).to_contain_text(f"{after.points} / {after.maximum}")
        expect(running).to_contain_text(f"预计评级：{chinese(after.rating)}")
        assert running.inner_text() != shown_before
        row = page.locator('tr[data-indicator="D1-03"] [data-testid="evidence-files"]')
        expect(row.get_by_role("link", name="board-resolution.pdf")).to_be_visible()

        with page.expect_navigation():
            page.get_by_role("button", name="提交审核").click()
        expect(page.get_by_test_id("assessment-status")).to_have_text("已提交")
        expect(page.locator('button[value="self_score"]')).to_have_count(0)
        Path("/tmp/reformtrack-shots").mkdir(exist_ok=True)
        page.screenshot(path="/tmp/reformtrack-shots/self-assessment.png", full_page=True)

    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    stored = EvidenceFile.objects.get(score=manual)
    assert stored.size == (DATA / "assessments" / "board-resolution.pdf").stat().st_size
    assert seen.off_host() == []
    assert seen.console == []
