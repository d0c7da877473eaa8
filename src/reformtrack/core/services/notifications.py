"""Writing inbox notices."""

from django.utils import timezone

from ..models import Notification


def notify(*, user, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url)


def mark_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
