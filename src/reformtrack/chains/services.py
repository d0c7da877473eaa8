"""Writes of the chains app: keyword-only, one transaction each, checked against the scoping
layer (`can`) unless `user` is None (the operator or the demo). Refusals never name what the user
may not see. Ledger rows are created only through `programs.services.tasks.add_task`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action, can, granted_paths
from reformtrack.core.services.versioning import check_version
from reformtrack.programs.services.tasks import add_task

from .choices import (
    FirstCategory,
    ItemKind,
    ItemStatus,
    Origin,
    ParticipantRole,
    PartnerType,
    Stage,
)
from .models import (
    Chain,
    FirstItem,
    GreenChannel,
    KeyItem,
    Link,
    LinkEdge,
    Participant,
    Procurement,
    ResilienceSnapshot,
    Supplier,
)


def _require(user, obj, action: str = Action.CHANGE) -> None:
    if user is not None and not can(user, action, obj):
        raise PermissionDenied(_("You may not change this."))


def _choice(field: str, value: str, choices) -> str:
    if value not in choices.values:
        raise ValidationError({field: _("Unknown value %(value)s.") % {"value": value}})
    return value


@transaction.atomic
def save_chain(
    *, user, code: str, name_zh: str, leader, supervisor, name_en: str = "", batch: str = "",
    note: str = "", expected_version: int | None = None,
) -> Chain:  # fmt: skip
    """Create or update a chain by code; the user needs `change` on the leader organisation."""
    code = code.strip().upper()
    if not code or not name_zh.strip():
        raise ValidationError({"code": _("A chain needs a code and a Chinese name.")})
    if supervisor.kind != "supervisor" or not leader.path.startswith(supervisor.path):
        raise ValidationError(
            {"supervisor": _("The supervisor must be a supervisor above the chain leader.")}
        )
    chain = Chain.objects.select_for_update().filter(code=code).first()
    if chain is not None:
        _require(user, chain)
        check_version(chain, expected_version)
    else:
        chain = Chain(code=code)
    chain.leader, chain.supervisor = leader, supervisor
    _require(user, chain)
    chain.name_zh, chain.name_en, chain.batch, chain.note = name_zh, name_en, batch, note
    chain.save()
    return chain


@transaction.atomic
def save_link(*, user, chain: Chain, code: str, name: str, stage: str, position: int = 0) -> Link:
    """Create or update a link of the chain by code."""
    _require(user, chain)
    _choice("stage", stage, Stage)
    code = code.strip().upper()
    if not code or not name.strip():
        raise ValidationError({"code": _("A link needs a code and a name.")})
    link, _created = Link.objects.update_or_create(
        chain=chain, code=code, defaults={"name": name, "stage": stage, "position": position}
    )
    return link


@transaction.atomic
def set_upstream(*, user, link: Link, sources: list[Link]) -> int:
    """Replace the links that supply `link` (edges source → link); returns the edge count."""
    _require(user, link.chain)
    for source in sources:
        if source.chain_id != link.chain_id:
            raise ValidationError({"upstream": _("An edge joins links of the same chain.")})
        if source.pk == link.pk:
            raise ValidationError({"upstream": _("A link cannot supply itself.")})
    LinkEdge.objects.filter(target=link).exclude(source__in=sources).delete()
    for source in sources:
        LinkEdge.objects.get_or_create(chain=link.chain, source=source, target=link)
    return len(sources)


@transaction.atomic
def save_item(
    *, user, link: Link, kind: str, name: str, status: str, note: str = "",
    expected_version: int | None = None,
) -> KeyItem:  # fmt: skip
    """Create a key item or change it (the version read guards a change)."""
    _require(user, link.chain)
    _choice("kind", kind, ItemKind)
    _choice("status", status, ItemStatus)
    if not name.strip():
        raise ValidationError({"name": _("A key item needs a name.")})
    item = KeyItem.objects.select_for_update().filter(link=link, name=name).first()
    if item is None:
        return KeyItem.objects.create(link=link, kind=kind, name=name, status=status, note=note)
    check_version(item, expected_version)
    if (item.kind, item.status, item.note) == (kind, status, note):
        return item  # nothing to change: no new version, no audit entry
    item.kind, item.status, item.note = kind, status, note
    item.save()
    return item


@transaction.atomic
def set_suppliers(*, user, item: KeyItem, domestic: list[str], foreign: list[str]) -> int:
    """Replace the item's suppliers with the names given."""
    _require(user, item.link.chain)
    wanted = {n.strip(): Origin.DOMESTIC for n in domestic if n.strip()}
    wanted.update({n.strip(): Origin.FOREIGN for n in foreign if n.strip()})
    item.suppliers.exclude(name__in=wanted).delete()
    for name, origin in wanted.items():
        Supplier.objects.update_or_create(item=item, name=name, defaults={"origin": origin})
    return len(wanted)


@transaction.atomic
def add_participant(
    *, user, link: Link, partner_type: str, organisation=None, partner_name: str = "",
    role: str = ParticipantRole.MEMBER,
) -> Participant:  # fmt: skip
    """An organisation of the tree or an outside partner (by name) in a link."""
    _require(user, link.chain)
    _choice("partner_type", partner_type, PartnerType)
    if (organisation is None) == (not partner_name.strip()):
        raise ValidationError(
            {"partner_name": _("Give either an organisation or a partner's name.")}
        )
    found = Participant.objects.filter(
        link=link, organisation=organisation, partner_name=partner_name.strip()
    ).first()
    if found:
        return found
    return Participant.objects.create(
        link=link, organisation=organisation, partner_name=partner_name.strip(),
        partner_type=partner_type, role=role,
    )  # fmt: skip


@transaction.atomic
def add_weak_link_task(
    *, user, item: KeyItem, programme, area, code: str, title: str, deadline: dt.date,
    **fields,
) -> object:  # fmt: skip
    """A 补链强链 task for a key item, in the chain leader's ledger (through `add_task`, so it
    rolls up like any other task), linked to the item."""
    _require(user, item.link.chain)
    task = add_task(
        user=user, programme=programme, area=area, organisation=item.link.chain.leader,
        code=code, title=title, deadline=deadline, **fields,
    )  # fmt: skip
    item.tasks.add(task)
    return task


@transaction.atomic
def take_snapshot(*, user, chain: Chain, year: int) -> ResilienceSnapshot:
    """Store the chain's resilience figures for `year` (replaces that year's snapshot)."""
    from .selectors import resilience_figures

    _require(user, chain)
    figures = resilience_figures(chain)
    snapshot, _created = ResilienceSnapshot.objects.update_or_create(
        chain=chain, year=year, defaults={k: figures[k] for k in SNAPSHOT_FIELDS}
    )
    return snapshot


SNAPSHOT_FIELDS = (
    "links", "items", "bottlenecks", "single_source", "foreign", "links_two_domestic",
    "share_two_domestic",
)  # fmt: skip


# --- three firsts --------------------------------------------------------------------------


@transaction.atomic
def register_first_item(
    *, user, category: str, name: str, supplier: str, certificate_no: str = "",
    certificate_date: dt.date | None = None,
) -> FirstItem:  # fmt: skip
    """Add an item to the register (any user who may change something somewhere)."""
    if user is not None and not granted_paths(user, Action.CHANGE):
        raise PermissionDenied(_("You may not change this."))
    _choice("category", category, FirstCategory)
    if not name.strip() or not supplier.strip():
        raise ValidationError({"name": _("An item needs a name and a supplier.")})
    item, _created = FirstItem.objects.update_or_create(
        name=name.strip(), supplier=supplier.strip(),
        defaults={"category": category, "certificate_no": certificate_no,
                  "certificate_date": certificate_date},
    )  # fmt: skip
    return item


@transaction.atomic
def record_procurement(
    *, user, enterprise, item: FirstItem, date: dt.date, amount: Decimal, tender_ref: str = "",
    green_channel: bool = False,
) -> Procurement:  # fmt: skip
    """An enterprise's purchase of a three-firsts item; the green channel must exist by then."""
    if user is not None and not can(user, Action.CHANGE, enterprise):
        raise PermissionDenied(_("You may not change this."))
    if amount is None or Decimal(amount) <= 0:
        raise ValidationError({"amount": _("The amount must be above zero.")})
    if green_channel:
        channel = GreenChannel.objects.filter(organisation=enterprise).first()
        if channel is None or channel.established_on > date:
            raise ValidationError(
                {"green_channel": _("The enterprise had no green channel on that date.")}
            )
    return Procurement.objects.create(
        enterprise=enterprise, item=item, date=date, amount=Decimal(amount),
        tender_ref=tender_ref, green_channel=green_channel,
    )  # fmt: skip


@transaction.atomic
def set_green_channel(*, user, organisation, established_on: dt.date, note: str = ""):
    """Record when the enterprise set up its three-firsts green procurement channel."""
    if user is not None and not can(user, Action.CHANGE, organisation):
        raise PermissionDenied(_("You may not change this."))
    channel, _created = GreenChannel.objects.update_or_create(
        organisation=organisation, defaults={"established_on": established_on, "note": note}
    )
    return channel
