"""Reminders for cron (`reformtrack remind`): due and overdue tasks, a weekly summary.

The command first runs the "overdue" job (tallies.mark_all_overdue): the one place, with the
job itself, where open tasks past their deadline are marked overdue.

Each user gets one notice (and one e-mail when they have an address) per run and kind, listing
their tasks; a second run the same day sends nothing again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from reformtrack.core.models import Notification
from reformtrack.core.scoping import Action
from reformtrack.core.services.notifications import notify
from reformtrack.core.stored_messages import Message
from reformtrack.orgs.choices import Role
from reformtrack.orgs.models import Organisation
from reformtrack.orgs.roles import roles_granting
from reformtrack.orgs.selectors import role_holders

from ..choices import TaskStatus
from ..models import Launch, LedgerTask
from ..selectors.rollup import subtree_tally

LISTED = 20


def _nearest_holders(holders: list[tuple[str, object]]):
    by_path = defaultdict(list)
    for path, user in holders:
        by_path[path].append(user)
    step = Organisation.steplen

    def nearest(org_path: str) -> list:
        for end in range(len(org_path), 0, -step):
            if org_path[:end] in by_path:
                return by_path[org_path[:end]]
        return []

    return nearest


def _already_sent(user, kind: str) -> bool:
    """Once a calendar day (local time) when reminders really went out, whatever day `today`
    the deadlines were judged against (a run for another date does not send twice)."""
    sent_today = Notification.objects.filter(
        user=user, kind=kind, created_at__date=timezone.localdate()
    )
    return sent_today.exists()


def _send(user, kind: str, title, lines: list) -> bool:
    """One notice; its lines (text or Messages) read in the reader's language, the mail in the
    site's."""
    if _already_sent(user, kind):
        return False
    notice = notify(user=user, kind=kind, title=title, body=lines, url="/programmes/")
    if user.email:
        send_mail(
            notice.stored_title,
            notice.body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            fail_silently=False,
        )
    return True


def remind_due(*, days: int = 7, today: dt.date | None = None) -> dict:
    """Tasks due within `days` and overdue ones, to the nearest reporting users of each."""
    today = today or timezone.localdate()
    open_ = ~Q(status__in=[TaskStatus.DONE, TaskStatus.PAUSED])
    tasks = (
        LedgerTask.objects.filter(open_, deadline__lte=today + dt.timedelta(days=days))
        .select_related("programme")
        .order_by("deadline", "code")
    )
    nearest = _nearest_holders(role_holders(roles_granting(Action.REPORT)))
    per_user: dict = defaultdict(lambda: {"user": None, "due": [], "overdue": []})
    for task in tasks.iterator(chunk_size=2000):
        bucket = "overdue" if task.deadline < today else "due"
        for user in nearest(task.org_path):
            entry = per_user[user.pk]
            entry["user"] = user
            entry[bucket].append(task)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for entry in per_user.values():
            due, overdue = entry["due"], entry["overdue"]
            title = Message(
                gettext_noop("%(due)s tasks due within %(days)s days, %(overdue)s overdue"),
                due=len(due), days=days, overdue=len(overdue),
            )  # fmt: skip
            lines: list = [
                f"{t.deadline:%Y-%m-%d} {t.code} {t.title}" for t in (overdue + due)[:LISTED]
            ]
            if len(overdue) + len(due) > LISTED:
                more = len(overdue) + len(due) - LISTED
                lines.append(Message(gettext_noop("… and %(n)s more"), n=more))
            sent += _send(entry["user"], "ledger_due", title, lines)
    return {"users": len(per_user), "sent": sent, "tasks": sum(
        len(e["due"]) + len(e["overdue"]) for e in per_user.values()
    )}  # fmt: skip


def weekly_summary(*, today: dt.date | None = None) -> dict:
    """Each reform office: completion and overdue of its subtree in every launched programme."""
    today = today or timezone.localdate()
    sent = 0
    offices = role_holders([Role.REFORM_OFFICE])
    paths = {path for path, _user in offices}
    orgs = {o.path: o for o in Organisation.objects.filter(path__in=paths)}
    launches = list(Launch.objects.select_related("programme", "organisation"))
    with translation.override(settings.LANGUAGE_CODE):
        for path, user in offices:
            org = orgs[path]
            programmes = {
                launch.programme
                for launch in launches
                if path.startswith(launch.organisation.path)
                or launch.organisation.path.startswith(path)
            }
            lines = []
            for programme in sorted(programmes, key=lambda p: p.code):
                tally = subtree_tally(None, programme, org, today)
                if not tally.tasks:
                    continue
                lines.append(Message(
                    gettext_noop("%(programme)s: %(done)s of %(tasks)s tasks done (%(rate)s%%), "
                                 "overall progress %(progress)s%%, %(overdue)s overdue"),
                    programme=programme, done=tally.done, tasks=tally.tasks, rate=tally.rate,
                    progress=tally.progress, overdue=tally.overdue,
                ))  # fmt: skip
            if lines:
                title = Message(gettext_noop("Weekly reform summary for %(org)s"), org=org)
                sent += _send(user, "ledger_weekly", title, lines)
    return {"offices": len(offices), "sent": sent}
