"""Who is acting, from where: set per request (middleware) or per command, read by the audit."""

from __future__ import annotations

import contextvars
import getpass
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Actor:
    """The acting user is read from the request when asked: API authentication sets it late."""

    request: object | None = None
    fixed_user: object | None = None
    username: str = ""
    ip: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # Set while an approved change is applied: {"request": id, "approvers": [usernames]}.
    on_approval: dict | None = None

    @property
    def user(self):
        if self.fixed_user is not None:
            return self.fixed_user
        return getattr(self.request, "user", None)

    @property
    def user_id(self) -> int | None:
        user = self.user
        if user is not None and getattr(user, "is_authenticated", False):
            return user.pk
        return None

    @property
    def name(self) -> str:
        user = self.user
        if user is not None and getattr(user, "is_authenticated", False):
            return user.get_username()
        return self.username


_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("actor", default=None)


def current_actor() -> Actor:
    actor = _current.get()
    if actor is None:
        try:
            name = getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name in some containers
            name = "unknown"
        actor = Actor(username=f"system:{name}")
    return actor


@contextmanager
def acting(actor: Actor):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


@contextmanager
def on_behalf_of(user, *, approval: dict):
    """Apply an approved change as its author, naming the approval: the audit records the
    reporter as the one who did it and the approvers who let it count."""
    outer = current_actor()
    actor = Actor(
        fixed_user=user,
        ip=outer.ip,
        request_id=outer.request_id,
        on_approval=approval,
    )
    with acting(actor):
        yield actor


def client_ip(request) -> str | None:
    from django.conf import settings

    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None
