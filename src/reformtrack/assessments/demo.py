"""Demo assessments: the shipped rule sets; the 2021 special evaluation of Sinochem's seven
special-project units, reviewed and published with the ratings source article 000 reports; the
2022 evaluation in progress (self-assessments with evidence files, a review, a return, gaps
turned into rectification tasks in the ledger). Loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from reformtrack.core.demo import register
from reformtrack.core.libraries import install_library
from reformtrack.orgs.models import Organisation
from reformtrack.programs.demo import MINIMAL_PDF

from .choices import Method
from .models import Assessment, Campaign, RuleSet
from .services import campaigns as services
from .services.evidence import add_score_evidence
from .services.rectification import rectify

UNITS = ["HAOHUA", "SINOCHEM-ENERGY", "SINOCHEM-INTL", "NANTONG-XINGCHEN", "SINOCHEM-ENV",
         "SYRICI", "ZHONGLAN-CHENGUANG"]  # fmt: skip
# Share of the points each unit earns in 2021: inside the band article 000 reports
# (benchmark ≥ 90, excellent ≥ 80, good ≥ 70), several points from every threshold.
SHARE_2021 = {"HAOHUA": "0.95", "SINOCHEM-ENERGY": "0.87", "SINOCHEM-INTL": "0.85",
              "NANTONG-XINGCHEN": "0.84", "SINOCHEM-ENV": "0.76", "SYRICI": "0.75",
              "ZHONGLAN-CHENGUANG": "0.73"}  # fmt: skip
SHARE_2022 = {"HAOHUA": "0.93", "SINOCHEM-ENERGY": "0.89", "SINOCHEM-INTL": "0.84",
              "NANTONG-XINGCHEN": "0.86", "SINOCHEM-ENV": "0.79", "SYRICI": "0.78",
              "ZHONGLAN-CHENGUANG": "0.71"}  # fmt: skip
FLEXIBLE = (Method.MANUAL, Method.BANDED)
SOURCE_000 = "中化集团双百和科改专项工作推进会（2022-11-29）"
OLD_SOURCE_000 = "seeds/000：" + SOURCE_000  # as older demo databases stored it


def _half(value: Decimal) -> Decimal:
    return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def _plan(scores, share: Decimal) -> dict:
    """Per score: (checked items, yes, points) so the total lands near `share` of the maximum:
    checklists tick round(n × share) items, yes/no is yes, manual and banded points fill
    the rest evenly."""
    plan, fixed, total, flexible = {}, Decimal(0), Decimal(0), Decimal(0)
    for score in scores:
        ind = score.indicator
        total += ind.max_points
        if ind.method == Method.CHECKLIST:
            k = int((len(ind.items) * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            checked = list(range(k))
            fixed += sum(Decimal(str(ind.items[i]["points"])) for i in checked)
            plan[score.pk] = (checked, None, None)
        elif ind.method == Method.YES_NO:
            fixed += ind.max_points
            plan[score.pk] = ([], True, None)
        else:
            flexible += ind.max_points
    rate = max(Decimal(0), min(Decimal(1), (share * total - fixed) / flexible))
    for score in scores:
        if score.indicator.method in FLEXIBLE:
            plan[score.pk] = ([], None, _half(score.indicator.max_points * rate))
    return plan


def _self_assess(assessment, share: Decimal, office, *, generous: Decimal = Decimal(0)):
    scores = list(assessment.scores.select_related("indicator"))
    plan = _plan(scores, share)
    for score in scores:
        checked, yes, points = plan[score.pk]
        if points is not None and score.indicator.method == Method.MANUAL:
            points = min(score.indicator.max_points, _half(points * (1 + generous)))
        services.save_self_score(
            user=office, score=score, points=points, checked=checked, yes=yes,
            justification="对照评估细则逐项自查，相关制度已印发执行。",
            evidence=score.indicator.evidence_zh,
        )  # fmt: skip
    return plan


def _attach_evidence(assessment, office) -> None:
    """The files a unit attaches before it submits: one per indicator that asks for evidence
    (a submission without them is refused)."""
    scores = assessment.scores.exclude(indicator__evidence_zh="").select_related("indicator")
    for score in scores.order_by("indicator__code"):
        title = score.indicator.evidence_zh.split("、")[0].split("，")[0][:60]
        upload = SimpleUploadedFile(f"{title}.pdf", MINIMAL_PDF, "application/pdf")
        add_score_evidence(user=office, score=score, upload=upload, title=title)


def _review(assessment, plan, supervisor, office):
    """Submit, then the supervisor sets flexible points to the planned ones with a reason
    (history replayed: at the dates it happened, inside the campaign's deadlines)."""
    _attach_evidence(assessment, office)
    services.submit_assessment(user=office, assessment=assessment, comment="自评完成，请审核。",
                               now=_when(assessment.campaign.year, 11, 20))  # fmt: skip
    for score in assessment.scores.select_related("indicator"):
        _c, _y, points = plan[score.pk]
        if points is not None and score.points != points:
            reason = ("依据年度决算和台账核定。" if score.indicator.method == Method.BANDED
                      else "佐证材料不足以支持自评分，按细则核减。")  # fmt: skip
            services.adjust_score(user=supervisor, score=score, points=points, reason=reason,
                                  now=_when(assessment.campaign.year + 1, 1, 15))  # fmt: skip
    assessment.refresh_from_db()


def _when(year: int, month: int, day: int) -> dt.datetime:
    """Noon of a past day (Beijing time): when a replayed step of the demo's history happened."""
    return dt.datetime(year, month, day, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _approve_all_levels(assessment, supervisor):
    while assessment.status == "submitted":
        services.review(user=supervisor, assessment=assessment, approve=True, comment="同意。",
                        now=_when(assessment.campaign.year + 1, 1, 20))  # fmt: skip


def _campaign(code, year, name_zh, name_en, supervisor, sasac, units):
    rule_set = RuleSet.objects.get(code="SPECIAL-EVAL")
    return services.open_campaign(
        user=supervisor, rule_set=rule_set, year=year, code=code, name_zh=name_zh,
        name_en=name_en, organisation=sasac, self_deadline=dt.date(year, 11, 30),
        review_deadline=dt.date(year + 1, 3, 31), targets=units,
    )  # fmt: skip


def _load_2021(supervisor, office, sasac, units) -> None:
    campaign = _campaign("SE-2021", 2021, "2021年度“双百企业”和“科改示范企业”专项评估",
                         "2021 special evaluation", supervisor, sasac, units)  # fmt: skip
    for assessment in campaign.assessments.select_related("organisation"):
        share = Decimal(SHARE_2021[assessment.organisation.code])
        plan = _self_assess(assessment, share, office, generous=Decimal("0.05"))
        _review(assessment, plan, supervisor, office)
        _approve_all_levels(assessment, supervisor)
        assessment.source = SOURCE_000
        assessment.save(update_fields=["source"])
    services.finalise_campaign(user=supervisor, campaign=campaign)
    services.publish_campaign(user=supervisor, campaign=campaign)


def _load_2022(supervisor, office, sasac, units) -> None:
    """Everyone has self-assessed; Haohua is reviewed, Sinochem International was returned
    once for evidence, Sinochem Energy waits for review; gaps of two units are in the ledger."""
    campaign = _campaign("SE-2022", 2022, "2022年度“双百企业”和“科改示范企业”专项评估",
                         "2022 special evaluation", supervisor, sasac, units)  # fmt: skip
    by_code = {a.organisation.code: a for a in campaign.assessments.select_related("organisation")}
    plans = {}
    for code, assessment in by_code.items():
        plans[code] = _self_assess(assessment, Decimal(SHARE_2022[code]), office,
                                   generous=Decimal("0.08"))  # fmt: skip
    haohua = by_code["HAOHUA"]
    _review(haohua, plans["HAOHUA"], supervisor, office)
    _approve_all_levels(haohua, supervisor)
    _review(by_code["SINOCHEM-ENERGY"], plans["SINOCHEM-ENERGY"], supervisor, office)
    intl = by_code["SINOCHEM-INTL"]
    _attach_evidence(intl, office)
    services.submit_assessment(user=office, assessment=intl, now=_when(2022, 11, 25))
    services.review(user=supervisor, assessment=intl, approve=False, now=_when(2023, 1, 10),
                    comment="混合所有制改革佐证材料不全，请补充股东协议。")  # fmt: skip
    for code, owner in (("HAOHUA", "王芳"), ("SINOCHEM-ENV", "陈静")):
        assessment = by_code[code]
        assessment.refresh_from_db()
        from .selectors import gaps

        chosen = [g.score.indicator.code for g in gaps(assessment)[:3]]
        rectify(user=office, assessment=assessment, indicator_codes=chosen, owner=owner,
                department="深化改革办公室", deadline=dt.date(2022, 12, 31))  # fmt: skip


def _load_rule_sets() -> dict:
    outcomes = {}
    for path in sorted((settings.REFORMTRACK_LIBRARY_DIR / "rulesets").glob("*.yaml")):
        library, outcome = install_library(path.read_text(encoding="utf-8"), origin=path.name)
        outcomes[library.code] = outcome
    return outcomes


@register(40, "assessments")
def load(stdout=None) -> dict:
    summary = {"libraries": _load_rule_sets()}
    User = get_user_model()
    supervisor = User.objects.filter(username="sasac_admin").first()
    office = User.objects.filter(username="sinochem_office").first()
    sasac = Organisation.objects.filter(code="SASAC").first()
    units = list(Organisation.objects.filter(code__in=UNITS).order_by("path"))
    if supervisor is None or office is None or sasac is None or len(units) != len(UNITS):
        return summary
    if not Campaign.objects.filter(code="SE-2021").exists():
        _load_2021(supervisor, office, sasac, units)
    if not Campaign.objects.filter(code="SE-2022").exists():
        _load_2022(supervisor, office, sasac, units)
    Assessment.objects.filter(source=OLD_SOURCE_000).update(source=SOURCE_000)
    summary["campaigns"] = list(Campaign.objects.values_list("code", flat=True))
    if stdout is not None:
        stdout.write("Demo assessments: " + ", ".join(summary["campaigns"]))
    return summary
