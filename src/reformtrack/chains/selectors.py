"""Reads of the chains app, always through the scoping layer: chains a user may see, a chain's
map with its items, suppliers, participants and tasks, the resilience summary, the three-firsts
channel count and volume by year."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import ExtractYear

from reformtrack.core.scoping import Action

from .choices import STAGE_ORDER, ItemStatus, Origin
from .models import (
    Chain,
    GreenChannel,
    KeyItem,
    Link,
    Procurement,
    ResilienceSnapshot,
    Supplier,
)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def chains_for(user, action: str = Action.VIEW):
    return Chain.objects.visible_to(user, action).select_related("leader", "supervisor")


def chain_by_code(user, code: str, action: str = Action.VIEW) -> Chain | None:
    return chains_for(user, action).filter(code=code.strip().upper()).first()


@dataclass
class ChainMap:
    chain: Chain
    links: list[Link]
    edges: list[tuple[int, int]]
    items: list[KeyItem] = field(default_factory=list)


def chain_map(chain: Chain) -> ChainMap:
    """Links in stage order with items (suppliers, tasks) and participants, and the edges.
    The chain itself was read through the scoping layer; its parts belong to it."""
    items = KeyItem.objects.prefetch_related(
        "suppliers", Prefetch("tasks", to_attr="task_list")
    ).order_by("name")
    links = sorted(
        Link.objects.filter(chain=chain).prefetch_related(
            Prefetch("items", queryset=items, to_attr="item_list"),
            "participants__organisation",
        ),
        key=lambda link: (STAGE_ORDER.get(link.stage, 9), link.position, link.code),
    )
    edges = list(chain.edges.values_list("source_id", "target_id"))
    return ChainMap(chain, links, edges, [i for link in links for i in link.item_list])


def resilience_figures(chain: Chain) -> dict:
    """Counts of the chain's items by status and the share of links (with items) whose every
    item has at least two domestic suppliers — one query each."""
    by_status = dict(
        KeyItem.objects.filter(link__chain=chain)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    domestic = Count("suppliers", filter=Q(suppliers__origin=Origin.DOMESTIC))
    per_item = (
        KeyItem.objects.filter(link__chain=chain).annotate(domestic=domestic)
        .values_list("link_id", "domestic")
    )  # fmt: skip
    weakest: dict[int, int] = {}
    for link_id, count in per_item:
        weakest[link_id] = min(count, weakest.get(link_id, count))
    links = Link.objects.filter(chain=chain).count()
    strong = sum(1 for n in weakest.values() if n >= 2)
    share = (Decimal(strong) * HUNDRED / links).quantize(Decimal("0.01")) if links else Decimal(0)
    return {
        "links": links,
        "items": sum(by_status.values()),
        "bottlenecks": by_status.get(ItemStatus.BOTTLENECK, 0),
        "single_source": by_status.get(ItemStatus.SINGLE_SOURCE, 0),
        "foreign": by_status.get(ItemStatus.FOREIGN, 0),
        "links_two_domestic": strong,
        "share_two_domestic": share,
    }


def resilience_summary(chain: Chain, year: int) -> dict:
    """The figures now, the bottleneck and single-source items by name, and the change against
    the snapshot of the year before (None when there is none)."""
    now = resilience_figures(chain)
    last = ResilienceSnapshot.objects.filter(chain=chain, year=year - 1).first()
    change = None
    if last is not None:
        change = {k: now[k] - getattr(last, k) for k in now}
    weak = (
        KeyItem.objects.filter(
            link__chain=chain, status__in=[ItemStatus.BOTTLENECK, ItemStatus.SINGLE_SOURCE]
        )
        .select_related("link")
        .prefetch_related(Prefetch("tasks", to_attr="task_list"))
    )
    return {
        "year": year, "figures": now, "compared_with": year - 1 if last else None,
        "change": change,
        "bottleneck_items": [i for i in weak if i.status == ItemStatus.BOTTLENECK],
        "single_source_items": [i for i in weak if i.status == ItemStatus.SINGLE_SOURCE],
    }  # fmt: skip


def chain_json(chain: Chain, year: int) -> dict:
    """The chain as plain data: links with upstream codes, items with suppliers and tasks,
    participants, and the resilience summary (CLI and API)."""
    cmap = chain_map(chain)
    codes = {link.pk: link.code for link in cmap.links}
    upstream: dict[int, list[str]] = {}
    for source, target in cmap.edges:
        upstream.setdefault(target, []).append(codes[source])
    summary = resilience_summary(chain, year)
    return {
        "code": chain.code, "name_zh": chain.name_zh, "name_en": chain.name_en,
        "leader": chain.leader.code, "supervisor": chain.supervisor.code, "batch": chain.batch,
        "links": [
            {
                "code": link.code, "name": link.name, "stage": link.stage,
                "position": link.position, "upstream": sorted(upstream.get(link.pk, [])),
                "participants": [_participant(p) for p in link.participants.all()],
                "items": [_item(i) for i in link.item_list],
            }
            for link in cmap.links
        ],
        "resilience": {
            "year": summary["year"], **summary["figures"],
            "compared_with": summary["compared_with"], "change": summary["change"],
            "bottleneck_items": [i.name for i in summary["bottleneck_items"]],
            "single_source_items": [i.name for i in summary["single_source_items"]],
        },
    }  # fmt: skip


def _participant(p) -> dict:
    return {
        "organisation": p.organisation.code if p.organisation_id else None,
        "name": p.display_name, "type": p.partner_type, "role": p.role,
    }  # fmt: skip


def _item(item: KeyItem) -> dict:
    return {
        "id": item.pk, "kind": item.kind, "name": item.name, "status": item.status,
        "version": item.version,
        "suppliers": [{"name": s.name, "origin": s.origin} for s in item.suppliers.all()],
        "tasks": [
            {"code": t.code, "status": t.status, "percent": t.percent,
             "deadline": t.deadline}
            for t in getattr(item, "task_list", item.tasks.all())
        ],
    }  # fmt: skip


# --- three firsts --------------------------------------------------------------------------


def _scoped(model, user):
    """Rows the user may view; `None` is the operator at the command line (everything)."""
    return model.objects.all() if user is None else model.objects.visible_to(user, Action.VIEW)


def firsts_trend(user, years: list[int] | None = None) -> list[dict]:
    """Per year: enterprises (in the user's scope) with a green channel by the year's end,
    and the volume bought through it and in all. One grouped query each."""
    channels = list(
        _scoped(GreenChannel, user)
        .annotate(y=ExtractYear("established_on"))
        .values("y")
        .annotate(n=Count("pk"))
        .values_list("y", "n")
    )
    bought = {
        row["y"]: row
        for row in _scoped(Procurement, user)
        .annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(
            total=Sum("amount"),
            green=Sum("amount", filter=Q(green_channel=True)),
            count=Count("pk"),
        )
    }
    found = {y for y, _n in channels} | set(bought)
    if years is None:
        years = list(range(min(found), max(found) + 1)) if found else []
    rows = []
    for year in sorted(years):
        row = bought.get(year, {})
        rows.append({
            "year": year,
            "enterprises_with_channel": sum(n for y, n in channels if y <= year),
            "new_channels": sum(n for y, n in channels if y == year),
            "procurements": row.get("count", 0),
            "volume_green": Decimal(row.get("green") or 0).quantize(CENT),
            "volume_total": Decimal(row.get("total") or 0).quantize(CENT),
        })  # fmt: skip
    return rows


def firsts_summary(user) -> dict:
    """The channel count now (the "66" of seed 001) and the trend by year."""
    channels = list(_scoped(GreenChannel, user).select_related("organisation"))
    return {
        "enterprises_with_channel": len(channels),
        "channels": channels,
        "trend": firsts_trend(user),
    }


def suppliers_of(item: KeyItem):
    return Supplier.objects.filter(item=item)
