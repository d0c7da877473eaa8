"""Approval flow: submit → (approve | return) at each level of the chain → approved or returned.

Apps hand any object in with the organisation it belongs to, and listen to `approval_finished`
to act on the outcome (e.g. count a progress report as completed only once approved).

The rules every path obeys (page, API, command line), because they live here:
- a person decides at most one level of a request per round (a round starts at each
  submission) and never a request they submitted;
- a submission never waits at a level whose approve right its submitter holds, and a kind not
  named in its chain's `own_first` does not review its own organisation's submissions first;
- a level where nobody else may decide is blocked, shown to the level above, never passed;
- a decision names the level and version it was made on; under the row lock, a decision on a
  request that moved on since is refused as a conflict, so two people deciding at once cannot
  both win.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import formats, timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..context import on_behalf_of
from ..models import ApprovalRequest, ApprovalStep
from ..models.approvals import ApprovalStatus, StepDecision
from ..models.audit import AuditAction
from ..scoping import Action, can, granted_paths
from ..stored_messages import Message
from . import audit
from .notifications import notify

# Sent once a request is finally approved or returned: sender=ApprovalRequest, request=…, outcome=…
# An approval is applied in the submitter's name, naming its approvers (core.context).
approval_finished = Signal()
# Sent before every decision at every level, inside its transaction and under the row lock:
# sender=ApprovalRequest, request=…, approve=…, level=…. A receiver refuses the decision by
# raising ValidationError (e.g. a review after its deadline), whichever level it is.
approval_deciding = Signal()

DECISIONS = (StepDecision.APPROVE, StepDecision.RETURN)


class DecisionConflict(ValidationError):
    """The request moved on since the decider read it (another decision came first)."""

    def __init__(self, message: str):
        super().__init__({"version": [message]}, code="conflict")
        self.text = message


# --- chains -----------------------------------------------------------------------------------


def chain_rule(chain: str = "default") -> tuple[list[str], set[str]]:
    """(approving kinds nearest first, kinds that review their own submissions first).

    A chain in settings.APPROVAL_CHAINS is a list of kinds (each also reviews its own
    organisation's submissions first) or {"kinds": [...], "own_first": [...]}."""
    chains = settings.APPROVAL_CHAINS
    entry = chains.get(chain, chains["default"])
    if isinstance(entry, dict):
        kinds = list(entry["kinds"])
        return kinds, set(entry.get("own_first", kinds))
    return list(entry), set(entry)


def chain_levels(organisation, chain: str = "default", *, submitter=None) -> list:
    """Approving organisations, nearest first: for each configured kind, the nearest
    ancestor-or-self of that kind (subsidiary → group → supervisor by default).

    The submitting organisation's own level is left out when its kind does not review its own
    submissions first, and so is every first level whose approve right the submitter holds
    (an office submitting its own organisation's report): the chain starts above them."""
    kinds, own_first = chain_rule(chain)
    ancestors = type(organisation).objects.get_ancestors(organisation)
    lineage = [organisation, *reversed(list(ancestors))]
    levels = []
    for kind in kinds:
        match = next((org for org in lineage if org.kind == kind), None)
        if match is not None and match not in levels:
            levels.append(match)
    if not levels:
        levels.append(organisation)
    if len(levels) > 1 and levels[0] == organisation and organisation.kind not in own_first:
        levels.pop(0)
    if submitter is not None:
        held = granted_paths(submitter, Action.APPROVE)
        while len(levels) > 1 and any(levels[0].path.startswith(p) for p in held):
            levels.pop(0)
    return levels


# --- who may decide ---------------------------------------------------------------------------


@cache
def _holders_resolver():
    name = getattr(settings, "REFORMTRACK_SCOPE_HOLDERS", "")
    return import_string(name) if name else None


def holders(organisation, action: str = Action.APPROVE) -> list:
    """Users holding `action` on `organisation` (roles on it or above), by username."""
    resolve = _holders_resolver()
    if resolve is None:
        return []
    return list(resolve(path=organisation.path, action=action))


def round_decisions(request: ApprovalRequest) -> dict[int, set[int]]:
    """Levels each person decided in the request's current round: {user id: {levels}}."""
    decided: dict[int, set[int]] = {}
    rows = ApprovalStep.objects.filter(
        request=request, round=request.round, decision__in=DECISIONS
    ).values_list("actor_id", "level")
    for actor_id, level in rows:
        decided.setdefault(actor_id, set()).add(level)
    return decided


def _organisation_at(request: ApprovalRequest, level: int):
    if level == request.current_level and request.current_organisation_id:
        return request.current_organisation
    return type(request.organisation).objects.get(pk=request.levels[level])


def deciders(request: ApprovalRequest, level: int | None = None) -> list:
    """Who may decide `level` (the current one by default): holders of the approve right
    there, except the submitter and anyone who decided another level in this round."""
    level = request.current_level if level is None else level
    decided = round_decisions(request)
    return [
        user
        for user in holders(_organisation_at(request, level))
        if user.pk != request.submitted_by_id and not (decided.get(user.pk, set()) - {level})
    ]


def refusal(user, request: ApprovalRequest) -> str | None:
    """Why `user` may not decide the request now (None: they may)."""
    if request.status != ApprovalStatus.PENDING:
        return _("This approval is no longer waiting for a decision.")
    if request.submitted_by_id == user.pk:
        return _("You submitted this item: someone else must decide it.")
    if not can(user, Action.APPROVE, request):
        return _("You may not decide on this approval.")
    other = sorted(round_decisions(request).get(user.pk, set()) - {request.current_level})
    if other:
        return _(
            "You already decided level %(level)s of this approval: each level needs a "
            "different person."
        ) % {"level": other[0] + 1}
    return None


def may_decide(user, request: ApprovalRequest) -> bool:
    return refusal(user, request) is None


def is_blocked(request: ApprovalRequest) -> bool:
    return request.status == ApprovalStatus.PENDING and not deciders(request)


# --- the trail, notices and the level a request waits at ---------------------------------------


def _step(request, user, decision, comment, *, level=None, to_level=None):
    level = request.current_level if level is None else level
    org = _organisation_at(request, level) if request.levels else request.organisation
    step = ApprovalStep.objects.create(
        request=request,
        level=level,
        organisation=org,
        decision=decision,
        actor=user,
        at=timezone.now(),
        comment=comment,
        round=request.round,
        to_level=to_level,
    )
    changes = {
        "decision": decision,
        "level": level,
        "organisation": org.code,
        "round": request.round,
        "comment": comment,
    }
    if decision == StepDecision.RETURN:
        changes["returned_to"] = "submitter" if to_level is None else to_level
    audit.record(action=AuditAction.APPROVAL, instance=request, changes=changes)
    return step


def _url(request) -> str:
    return f"/approvals/{request.pk}/"


def _title_param(request: ApprovalRequest):
    """The request's title as a parameter of a notice: its message when it has one."""
    return request.title_message or request.stored_title


def _tell(users, request, kind: str, title, body: str = "") -> int:
    sent = 0
    for user in users:
        notify(user=user, kind=kind, title=title, body=body, url=_url(request), email=True)
        sent += 1
    return sent


def _enter(request: ApprovalRequest, level: int, *, comment: str = "") -> None:
    """The request now waits at `level`: tell those who may decide it, or, when nobody may,
    mark it blocked and tell the level above."""
    org_model = type(request.organisation)
    request.current_level = level
    request.current_organisation = org_model.objects.get(pk=request.levels[level])
    request.waiting_since = timezone.now()
    request.chased_on = None
    request.blocked_since = None
    request.escalated_to = None
    waiting_for = deciders(request)
    with translation.override(settings.LANGUAGE_CODE):
        where = {
            "title": _title_param(request),
            "org": request.current_organisation,
            "n": level + 1,
            "total": len(request.levels),
        }
        if waiting_for:
            _tell(
                waiting_for,
                request,
                "approval_waiting",
                Message(
                    gettext_noop(
                        "For your decision: %(title)s (level %(n)s of %(total)s, %(org)s)"
                    ),
                    **where,
                ),
                comment,
            )
            return
        request.blocked_since = request.waiting_since
        above = level + 1 if level + 1 < len(request.levels) else level
        request.escalated_to = _organisation_at(request, above)
        _tell(
            holders(request.escalated_to),
            request,
            "approval_blocked",
            Message(
                gettext_noop(
                    "Blocked: nobody else may decide level %(n)s (%(org)s) of %(title)s; "
                    "give someone there the approving role"
                ),
                **where,
            ),
        )


def _tell_submitter(request, kind: str, title, comment: str) -> None:
    _tell([request.submitted_by], request, kind, title, comment)


# --- submitting and deciding ---------------------------------------------------------------


@transaction.atomic
def submit(*, target, organisation, user, title="", comment: str = "", chain="default"):
    """Open (or reopen after a return) the approval of `target` for `organisation`; `title` is
    plain text or a stored_messages.Message (shown in each reader's language)."""
    if not can(user, Action.REPORT, organisation):
        raise PermissionDenied(_("You may not submit for this organisation."))
    ct = ContentType.objects.get_for_model(target)
    same = ApprovalRequest.objects.filter(content_type=ct, object_id=str(target.pk))
    if same.filter(status=ApprovalStatus.PENDING).exists():
        raise ValidationError(_("This item is already waiting for approval."))
    request = same.filter(status=ApprovalStatus.RETURNED).first()
    levels = chain_levels(organisation, chain, submitter=user)
    if request is None:
        request = ApprovalRequest(content_type=ct, object_id=str(target.pk), round=0, version=0)
    # A Message (the target's own name by default) is shown in each reader's language.
    request.title = title or Message("%(item)s", item=target)
    request.organisation = organisation
    request.chain = chain
    request.levels = [org.pk for org in levels]
    request.status = ApprovalStatus.PENDING
    request.submitted_by = user
    request.submitted_at = timezone.now()
    request.decided_at = None
    request.round += 1
    request.version += 1
    request.current_level = 0
    request.current_organisation = levels[0]
    request.save()
    _step(request, user, StepDecision.SUBMIT, comment, level=0)
    _enter(request, 0, comment=comment)
    request.save()
    return request


def _check_expected(request: ApprovalRequest, level: int | None, version: int | None) -> None:
    """Refuse a decision made on a page that no longer shows the request as it is."""
    moved = (level is not None and level != request.current_level) or (
        version is not None and version != request.version
    )
    if request.status != ApprovalStatus.PENDING and (level is not None or version is not None):
        moved = True
    if moved:
        raise DecisionConflict(conflict_text(request))


def conflict_text(request: ApprovalRequest) -> str:
    """What came first: the latest step of the request, who took it and when."""
    last = request.steps.select_related("actor").order_by("-at", "-pk").first()
    if last is None:
        return _("This approval changed since you opened it. Reload the page.")
    when = formats.date_format(timezone.localtime(last.at), "Y-m-d H:i:s")
    return _(
        "Already decided: %(decision)s by %(who)s at %(when)s (level %(level)s). "
        "Reload the page to see where it stands."
    ) % {
        "decision": last.get_decision_display(),
        "who": last.actor,
        "when": when,
        "level": last.level + 1,
    }


@transaction.atomic
def decide(
    *,
    request: ApprovalRequest,
    user,
    approve: bool,
    comment: str = "",
    level: int | None = None,
    version: int | None = None,
    return_to: int | None = None,
):
    """Approve (moves to the next level or finishes) or return (to an earlier level, or back to
    the submitter). `level` and `version` are what the decider saw: if the request has moved
    on since, the decision is refused with who decided it and when."""
    request = (
        ApprovalRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "current_organisation", "submitted_by")
        .get(pk=request.pk)
    )
    _check_expected(request, level, version)
    reason = refusal(user, request)
    if reason:
        raise PermissionDenied(reason)
    if not approve:
        if not comment.strip():
            raise ValidationError({"comment": _("Say why the item is returned.")})
        if return_to is not None and not 0 <= return_to < request.current_level:
            raise ValidationError({"return_to": _("Choose an earlier level of this approval.")})
    at = request.current_level
    approval_deciding.send(sender=ApprovalRequest, request=request, approve=approve, level=at)
    request.version += 1
    with translation.override(settings.LANGUAGE_CODE):
        names = {"title": _title_param(request), "org": request.current_organisation, "n": at + 1}
        if approve:
            _step(request, user, StepDecision.APPROVE, comment)
            if at + 1 < len(request.levels):
                _enter(request, at + 1)
                request.save()
                names["next"] = request.current_organisation
                _tell_submitter(
                    request,
                    "approval_progress",
                    Message(
                        gettext_noop(
                            "%(title)s: approved at level %(n)s (%(org)s), now waiting at %(next)s"
                        ),
                        **names,
                    ),
                    comment,
                )
                return request
            return _finish(request, ApprovalStatus.APPROVED, comment)
        if return_to is None:
            _step(request, user, StepDecision.RETURN, comment)
            return _finish(request, ApprovalStatus.RETURNED, comment)
        _step(request, user, StepDecision.RETURN, comment, to_level=return_to)
        _enter(request, return_to, comment=comment)
        request.save()
        names.update(back=request.current_organisation, m=return_to + 1)
        _tell_submitter(
            request,
            "approval_returned_to_level",
            Message(
                gettext_noop("%(title)s: returned from level %(n)s to level %(m)s (%(back)s)"),
                **names,
            ),
            comment,
        )
    return request


def approvers_of(request: ApprovalRequest) -> list[str]:
    """Usernames of the approvals that carried the current round, level by level."""
    latest: dict[int, str] = {}
    steps = request.steps.filter(round=request.round, decision=StepDecision.APPROVE)
    for step in steps.select_related("actor").order_by("at", "pk"):
        latest[step.level] = step.actor.get_username()
    return [latest[level] for level in sorted(latest)]


def _finish(request: ApprovalRequest, outcome: str, comment: str) -> ApprovalRequest:
    request.status = outcome
    request.decided_at = timezone.now()
    request.blocked_since = None
    request.escalated_to = None
    request.save()
    _tell_submitter(
        request,
        f"approval_{outcome}",
        Message(
            gettext_noop("%(title)s: %(outcome)s"),
            title=_title_param(request),
            outcome=ApprovalStatus(outcome).label,
        ),
        comment,
    )
    # Inside the decision's transaction: what an app does on the outcome (count a report,
    # sign a contract) commits with the decision or not at all. An approved change is applied
    # in its author's name, naming who approved it.
    if outcome == ApprovalStatus.APPROVED:
        approval = {"request": request.pk, "approvers": approvers_of(request)}
        with on_behalf_of(request.submitted_by, approval=approval):
            approval_finished.send(sender=ApprovalRequest, request=request, outcome=outcome)
    else:
        approval_finished.send(sender=ApprovalRequest, request=request, outcome=outcome)
    return request


def decide_many(*, user, items: list[tuple[int, int | None]], approve: bool, comment: str = ""):
    """Batch decisions from the inbox: each (request id, version seen) goes through `decide`
    in its own transaction. Returns [(request id, title or "", error or None)]."""
    results = []
    visible = (
        ApprovalRequest.objects.visible_to(user, Action.VIEW)
        | ApprovalRequest.objects.visible_to(user, Action.APPROVE)
    ).distinct()
    for pk, version in items:
        request = visible.filter(pk=pk).first()
        if request is None:
            results.append((pk, "", _("Not found.")))
            continue
        try:
            decide(request=request, user=user, approve=approve, comment=comment, version=version)
        except (PermissionDenied, ValidationError) as exc:
            text = exc.text if isinstance(exc, DecisionConflict) else _first_message(exc)
            results.append((pk, request.title, text))
        else:
            results.append((pk, request.title, None))
    return results


def _first_message(exc) -> str:
    if isinstance(exc, ValidationError):
        return exc.messages[0]
    return str(exc) or _("You may not decide on this approval.")


# --- reminders --------------------------------------------------------------------------------


def chase(*, days: int | None = None, now: dt.datetime | None = None) -> dict:
    """Remind the current deciders of requests waiting at their level for more than `days`
    (REFORMTRACK_APPROVAL_CHASE_DAYS): one reminder per request per day, whoever runs it;
    a blocked request reminds the level above instead."""
    days = settings.REFORMTRACK_APPROVAL_CHASE_DAYS if days is None else days
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = ApprovalRequest.objects.filter(
        status=ApprovalStatus.PENDING, waiting_since__lte=now - dt.timedelta(days=days)
    ).exclude(chased_on=today)
    result = {"waiting": 0, "notices": 0, "blocked": 0, "requests": []}
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            request = (
                ApprovalRequest.objects.select_for_update(of=("self",))
                .select_related("current_organisation", "organisation")
                .get(pk=pk)
            )
            if request.status != ApprovalStatus.PENDING or request.chased_on == today:
                continue
            sent, blocked = _chase_one(request, now)
            request.chased_on = today
            request.save(update_fields=["chased_on", "blocked_since", "escalated_to"])
        result["waiting"] += 1
        result["notices"] += sent
        result["blocked"] += int(blocked)
        result["requests"].append({"id": pk, "title": request.title, "notices": sent})
    return result


def _chase_one(request: ApprovalRequest, now) -> tuple[int, bool]:
    waiting_for = deciders(request)
    waited = (now - request.waiting_since).days
    with translation.override(settings.LANGUAGE_CODE):
        names = {
            "title": _title_param(request),
            "org": request.current_organisation,
            "n": request.current_level + 1,
            "days": waited,
        }
        if waiting_for:
            request.blocked_since = request.escalated_to = None
            title = Message(
                gettext_noop("Reminder: %(title)s has waited %(days)s days for your decision"),
                **names,
            )
            return _tell(waiting_for, request, "approval_chase", title), False
        above = request.current_level + 1
        request.escalated_to = _organisation_at(
            request, above if above < len(request.levels) else request.current_level
        )
        request.blocked_since = request.blocked_since or now
        title = Message(
            gettext_noop(
                "Reminder: %(title)s is blocked at level %(n)s (%(org)s): nobody else may decide it"
            ),
            **names,
        )
        return _tell(holders(request.escalated_to), request, "approval_blocked", title), True
