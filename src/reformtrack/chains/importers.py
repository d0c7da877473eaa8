"""Chains from Excel (the export's columns): links with their stage, position and upstream links,
key items with status and suppliers. Every row is checked first; any error refuses the whole
file, naming row and column. Adds and updates; never deletes what the file leaves out. Writes go
through the services, so the same permission checks apply."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from reformtrack.core.importer import (
    Column,
    Importer,
    ImportFailed,
    Row,
    RowError,
    decimal,
    no_progress,
    text,
)
from reformtrack.core.scoping import Action, can

from . import services
from .choices import ItemKind, ItemStatus, Stage
from .models import Chain, Link

SEPARATOR = "、"
SPLIT = re.compile(r"[、,，;；\n]+")
COLUMNS = (
    Column("chain", "产业链代码", "Chain code", required=True, parse=text(40)),
    Column("link", "环节代码", "Link code", required=True, parse=text(40)),
    Column("link_name", "环节名称", "Link name", required=True, parse=text(200)),
    Column("stage", "环节位置", "Stage", required=True),
    Column("position", "序号", "Position", parse=decimal(0, 100000, places=0)),
    Column("upstream", "上游环节", "Upstream links", parse=text(1000)),
    Column("item_kind", "关键项类型", "Item kind"),
    Column("item_name", "关键产品/技术", "Key item", parse=text(200)),
    Column("item_status", "保障状态", "Item status"),
    Column("domestic", "国内供应商", "Domestic suppliers", parse=text(2000)),
    Column("foreign", "国外供应商", "Foreign suppliers", parse=text(2000)),
)


def _lookup(choices) -> dict[str, str]:
    """Value, English label and Chinese label (casefolded) → value."""
    found = {}
    for value, label in choices.choices:
        found[value.casefold()] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                found[str(label).casefold()] = value
    return found


def names(raw: str | None) -> list[str]:
    return [n.strip() for n in SPLIT.split(raw or "") if n.strip()]


class ChainImporter(Importer):
    columns = COLUMNS
    count_keys = ("links", "items")

    def __init__(self, *, user, progress=no_progress):
        super().__init__(progress=progress)
        self.user = user
        self._chains: dict[str, Chain | None] = {}
        self.stages, self.kinds, self.statuses = (
            _lookup(Stage), _lookup(ItemKind), _lookup(ItemStatus)
        )  # fmt: skip

    def _choice(self, table: dict, value) -> str:
        raw = text()(value)
        if raw.casefold() not in table:
            labels = sorted({k for k in table if not k.isascii()} or table)
            raise ValueError(
                _("Unknown value %(value)s; use one of %(values)s.")
                % {"value": raw, "values": SEPARATOR.join(labels)}
            )
        return table[raw.casefold()]

    def parse_stage(self, value):
        return self._choice(self.stages, value)

    def parse_item_kind(self, value):
        return self._choice(self.kinds, value)

    def parse_item_status(self, value):
        return self._choice(self.statuses, value)

    def parse_chain(self, value) -> Chain:
        code = text()(value).upper()
        if code not in self._chains:
            self._chains[code] = Chain.objects.select_related("leader").filter(code=code).first()
        chain = self._chains[code]
        # Unknown and not allowed read the same: a refusal never says what exists.
        if chain is None or (self.user is not None and not can(self.user, Action.CHANGE, chain)):
            raise ValueError(_("No chain %(code)s that you may change.") % {"code": code})
        return chain

    def check(self, rows: list[Row]) -> None:
        links: dict[tuple, tuple[int, tuple]] = {}
        items: dict[tuple, int] = {}
        for row in rows:
            chain, code = row["chain"], (row["link"] or "").upper()
            if chain is None or not code:
                continue
            shape = (row["link_name"], row["stage"], row["position"], tuple(names(row["upstream"])))
            key = (chain.pk, code)
            if key in links and links[key][1] != shape:
                self.error(
                    row.number, "link_name",
                    _("Link %(code)s is described differently in row %(row)s.")
                    % {"code": code, "row": links[key][0]},
                )  # fmt: skip
            links.setdefault(key, (row.number, shape))
            if row["item_name"]:
                for needed in ("item_kind", "item_status"):
                    if row[needed] is None:
                        self.error(row.number, needed, _("A key item needs this cell."))
                ikey = (chain.pk, code, row["item_name"])
                if ikey in items:
                    self.error(
                        row.number, "item_name",
                        _("The same key item is in row %(row)s.") % {"row": items[ikey]},
                    )  # fmt: skip
                items.setdefault(ikey, row.number)
        known = {(c, k) for c, k in links} | set(
            Link.objects.filter(chain_id__in={c for c, _k in links}).values_list("chain_id", "code")
        )
        for (chain_id, code), (number, shape) in links.items():
            for up in shape[3]:
                if up.upper() == code:
                    self.error(number, "upstream", _("A link cannot supply itself."))
                elif (chain_id, up.upper()) not in known:
                    self.error(
                        number, "upstream", _("Unknown link %(code)s.") % {"code": up.upper()}
                    )

    def write(self, rows: list[Row]) -> dict[str, int]:
        links: dict[tuple, Link] = {}
        upstream: dict[tuple, list[str]] = {}
        items = 0
        try:
            for row in self.progress(rows, len(rows), "chains"):
                chain, code = row["chain"], row["link"].upper()
                key = (chain.pk, code)
                if key not in links:
                    links[key] = services.save_link(
                        user=self.user, chain=chain, code=code, name=row["link_name"],
                        stage=row["stage"], position=int(row["position"] or 0),
                    )  # fmt: skip
                    upstream[key] = [u.upper() for u in names(row["upstream"])]
                if row["item_name"]:
                    item = services.save_item(
                        user=self.user, link=links[key], kind=row["item_kind"],
                        name=row["item_name"], status=row["item_status"],
                    )  # fmt: skip
                    services.set_suppliers(
                        user=self.user, item=item, domestic=names(row["domestic"]),
                        foreign=names(row["foreign"]),
                    )  # fmt: skip
                    items += 1
            for (chain_id, _code), link in links.items():
                sources = list(
                    Link.objects.filter(chain_id=chain_id, code__in=upstream[(chain_id, _code)])
                )
                services.set_upstream(user=self.user, link=link, sources=sources)
        except (ValidationError, PermissionDenied) as exc:
            raise ImportFailed([RowError(None, "", "; ".join(_messages(exc)))]) from exc
        return {"links": len(links), "items": items}


def _messages(exc) -> list[str]:
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        return [f"{k}: {'; '.join(v)}" for k, v in exc.message_dict.items()]
    return [str(exc)]
