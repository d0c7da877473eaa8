"""Reads of the contracts app, always through the scoping layer with the `change` action:
pay and personal data are the reform office's and the supervisor's, not contributors' or
other groups'. Reading a pay page leaves a record in the audit trail."""

from __future__ import annotations

from decimal import Decimal

from reformtrack.core.models.audit import AuditAction
from reformtrack.core.scoping import Action, granted_paths
from reformtrack.core.services import audit

from .choices import Selection, Status
from .models import AnnualContract, AnnualResult, IncentivePlan, Member, TenureContract

PAY = Action.CHANGE  # the action that reads pay and personal data


def may_read_people(user) -> bool:
    return bool(granted_paths(user, PAY))


def members_for(user):
    return Member.objects.visible_to(user, PAY).select_related("organisation")


def tenures_for(user):
    return TenureContract.objects.visible_to(user, PAY).select_related("member__organisation")


def annuals_for(user):
    return AnnualContract.objects.visible_to(user, PAY).select_related(
        "tenure__member__organisation"
    )


def results_for(user):
    return AnnualResult.objects.visible_to(user, PAY).select_related(
        "contract__tenure__member__organisation"
    )


def record_pay_read(user, instance, page: str) -> None:
    """Every read of a pay page is audited (as a security event: the audit has no view
    action), naming the reader and whose pay was read."""
    audit.record(
        action=AuditAction.SECURITY, instance=instance,
        changes={"event": "pay_read", "page": page, "reader": user.get_username()},
    )  # fmt: skip


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


def three_systems(user, *, organisation, year: int) -> dict:
    """Three-systems figures of a subtree and year: share of managers under tenure contracts,
    managers out of post, share selected on the market, pay spread of approved results."""
    members = _in_subtree(members_for(user), organisation, "organisation__path")
    active = [m for m in members if m.tenure_start.year <= year <= m.tenure_end.year]
    signed = set(
        _in_subtree(tenures_for(user), organisation, "member__organisation__path")
        .filter(status=Status.APPROVED, start__year__lte=year, end__year__gte=year)
        .values_list("member_id", flat=True)
    )
    market = [m for m in active if m.selection != Selection.APPOINTED]
    pays = [
        r.total_pay
        for r in _in_subtree(
            results_for(user), organisation, "contract__tenure__member__organisation__path"
        ).filter(contract__year=year, status=Status.APPROVED)
    ]

    def share(part, whole):
        return (Decimal(len(part)) / len(whole) * 100).quantize(Decimal("0.01")) if whole else None

    return {
        "managers": len(active),
        "under_contract": len([m for m in active if m.pk in signed]),
        "contract_share": share([m for m in active if m.pk in signed], active),
        "market_share": share(market, active),
        "out_of_post": [m for m in members if not m.is_active],
        "pay_spread": (max(pays) / min(pays)).quantize(Decimal("0.01"))
        if pays and min(pays) > 0
        else None,
    }


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
