"""Writing inbox notices, and their e-mail copies once the writing transaction commits."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..models import Notification
from ..stored_messages import site_text, stored_lines


def notify(*, user, kind: str, title, body="", url: str = "", email: bool = False) -> Notification:
    """An inbox notice; with `email`, also a mail to the user's address (if any), sent only
    when the surrounding transaction commits so a refused action sends nothing. `title` is
    plain text or a stored_messages.Message, and `body` plain text, a Message or a list of
    lines (text or Messages), each shown in the reader's language; the mail is in the site's
    language."""
    lines = body if isinstance(body, (list, tuple)) else [body] if body else []
    notice = Notification(user=user, kind=kind, title=title, url=url)
    notice.body = "\n".join(site_text(line, limit=10_000) for line in lines)
    kept = stored_lines(lines)
    if kept:
        notice.title_message = {**(notice.title_message or {}), "body": kept}
    notice.save()
    if email:
        mail_after_commit(notice)
    return notice


def mail_after_commit(notice: Notification) -> None:
    """The notice's e-mail copy to its user's address (if any), in the site's language, sent
    only when the surrounding transaction commits (a refused action sends nothing)."""
    if not notice.user.email:
        return
    text = "\n\n".join(part for part in (notice.body, _absolute(notice.url)) if part)
    transaction.on_commit(
        partial(
            send_mail,
            notice.stored_title,
            text,
            settings.DEFAULT_FROM_EMAIL,
            [notice.user.email],
            fail_silently=True,
        )
    )


def _absolute(url: str) -> str:
    base = getattr(settings, "REFORMTRACK_BASE_URL", "")
    return f"{base.rstrip('/')}{url}" if url and base else url


def mark_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
