"""Reads of the contracts app, always through the scoping layer with the `pay` action (the
reform office, HR and the supervisor above; not contributors, viewers or other groups), plus
the member's own record for a user linked to it. Reading a pay page appends to the pay-read
log (`PayRead`), which is kept apart from the audit trail of data changes."""

from __future__ import annotations

from django.db.models import Q

from reformtrack.core.scoping import granted_paths, scope_q
from reformtrack.orgs.roles import PAY

from .models import (
    AnnualContract,
    AnnualResult,
    IncentivePlan,
    Member,
    PayRead,
    TenureContract,
    TenureResult,
)


def may_read_people(user) -> bool:
    return bool(granted_paths(user, PAY))


def own_member(user) -> Member | None:
    """The manager record linked to the user's account, if any."""
    if user is None or not user.is_authenticated:
        return None
    return Member.objects.filter(user=user).select_related("organisation").first()


def may_open_people_pages(user) -> bool:
    return may_read_people(user) or own_member(user) is not None


def _people(model, user, member_field: str):
    """Rows the user reads by grant, or that belong to their own record."""
    query = scope_q(model, user, PAY)
    if user is not None and user.is_authenticated:
        query |= Q(**{f"{member_field}user": user})
    return model.objects.filter(query)


def members_for(user):
    return _people(Member, user, "").select_related("organisation")


def tenures_for(user):
    return _people(TenureContract, user, "member__").select_related("member__organisation")


def annuals_for(user):
    return _people(AnnualContract, user, "tenure__member__").select_related(
        "tenure__member__organisation"
    )


def results_for(user):
    return _people(AnnualResult, user, "contract__tenure__member__").select_related(
        "contract__tenure__member__organisation"
    )


def tenure_results_for(user):
    return _people(TenureResult, user, "tenure__member__").select_related(
        "tenure__member__organisation"
    )


def tenure_rows(results, *, year: int, organisation=None) -> list[dict]:
    """One row per tenure ending in `year` with a result: score, grade, tenure incentive."""
    path = "tenure__member__organisation__path"
    rows = _in_subtree(results.filter(tenure__end__year=year), organisation, path)
    rows = rows.order_by(path, "tenure__member__name")
    return [
        {
            "organisation": r.tenure.member.organisation.code,
            "member": r.tenure.member.name,
            "post": r.tenure.member.post,
            "start": r.tenure.start.year,
            "end": r.tenure.end.year,
            "annual_score": r.annual_score,
            "indicator_score": r.indicator_score,
            "score": r.score,
            "grade": r.grade,
            "grade_label": r.grade_label,
            "annual_pay": r.annual_pay,
            "incentive": r.incentive,
            "capped": r.capped,
            "status": r.status,
        }  # fmt: skip
        for r in rows
    ]


def _member_of(instance) -> Member | None:
    for path in ("", "member", "tenure.member", "contract.tenure.member"):
        obj = instance
        try:
            for part in filter(None, path.split(".")):
                obj = getattr(obj, part)
        except AttributeError:
            continue
        if isinstance(obj, Member):
            return obj
    return None


def record_pay_read(user, instance, page: str) -> PayRead:
    """Append who read whose pay, on which page, to the pay-read log (append-only, apart from
    the audit trail: a read changes no business data)."""
    member = _member_of(instance)
    from reformtrack.orgs.models import Organisation

    if member is not None:
        organisation = member.organisation
    elif isinstance(instance, Organisation):
        organisation = instance
    else:
        organisation = instance.organisation
    return PayRead.objects.create(
        reader=user if user is not None and user.is_authenticated else None,
        reader_username=user.get_username() if user is not None else "",
        organisation=organisation, member=member, page=page,
        object_type=instance._meta.label_lower, object_id=str(instance.pk),
    )  # fmt: skip


def pay_reads_for(user):
    """The pay-read log of the subtrees the user holds `pay` on, and reads of their own pay."""
    query = scope_q(PayRead, user, PAY)
    if user is not None and user.is_authenticated:
        query |= Q(member__user=user)
    return PayRead.objects.filter(query).select_related("member", "organisation")


def _in_subtree(queryset, organisation, field: str):
    return (
        queryset.filter(**{f"{field}__startswith": organisation.path}) if organisation else queryset
    )


def score_rows(results, *, year: int, organisation=None) -> list[dict]:
    """One row per member with a result for `year`: score, grade, coefficient, exit flag."""
    path = "contract__tenure__member__organisation__path"
    rows = _in_subtree(results.filter(contract__year=year), organisation, path)
    rows = rows.order_by(path, "contract__tenure__member__name")
    return [
        {
            "organisation": r.contract.tenure.member.organisation.code,
            "member": r.contract.tenure.member.name,
            "post": r.contract.tenure.member.post,
            "year": year,
            "score": r.score,
            "grade": r.grade,
            "grade_label": r.grade_label,
            "coefficient": r.coefficient,
            "key_completion": r.key_completion,
            "status": r.status,
            "exit": r.exit_flag,
            "exit_reasons": r.exits,
        }  # fmt: skip
        for r in rows
    ]


def flagged(results, *, year: int | None = None) -> list[AnnualResult]:
    """Results with an exit trigger met, newest year first."""
    rows = results.exclude(exits=[]).order_by("-contract__year", "contract__tenure__member__name")
    if year is not None:
        rows = rows.filter(contract__year=year)
    return [r for r in rows if r.exits]


def plans_for(user, *, organisation, year: int) -> list:
    """Incentive plans of a subtree and year, each with its cap check (`plan.check`)."""
    from .services import plan_check

    plans = _in_subtree(
        IncentivePlan.objects.visible_to(user, PAY).select_related("organisation"),
        organisation, "organisation__path",
    ).filter(year=year)  # fmt: skip
    for plan in plans:
        plan.check = plan_check(plan)
    return list(plans)


def grade_names() -> dict[str, str]:
    """Chinese grade name → English, from every loaded contract-rules library (annual and
    tenure grades): results store the Chinese name their rules gave when scored."""
    from reformtrack.core.models import Library

    names: dict[str, str] = {}
    for content in Library.objects.filter(kind="contractrules").values_list("content", flat=True):
        rules = content.get("contractrules", {})
        for grade in [*rules.get("grades", []), *(rules.get("tenure") or {}).get("grades", [])]:
            names.setdefault(grade.get("label_zh", ""), grade.get("label_en", ""))
    return names


def with_units(contract, indicators) -> list:
    """The contract's indicators, each with `unit`: a KPI's unit in the KPI set of the contract's
    year (利润总额 in 亿元), a ledger task's own unit, none for a free target (its name says it).
    Pages write values with it; the stored values are as entered."""
    from reformtrack.kpis.selectors import kpiset_for

    rows = list(indicators)
    kpi_units: dict[str, str] = {}
    if any(i.kpi_code for i in rows):
        kpiset = kpiset_for(contract.year)
        if kpiset is not None:
            kpi_units = dict(kpiset.indicators.values_list("code", "unit"))
    for i in rows:
        if i.kpi_code:
            i.unit = kpi_units.get(i.kpi_code, "")
        elif i.task_id:
            i.unit = i.task.indicator_unit
        else:
            i.unit = ""
    return rows
