"""Chains to Excel: one row per key item (a link without items gets one row), the columns the
importer reads back, so an export edited and imported again is a round trip."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reformtrack.core.exporters import xlsx_bytes

from .choices import ItemKind, ItemStatus, Stage
from .importers import COLUMNS, SEPARATOR
from .selectors import chain_map


def chain_rows(chain) -> list[list]:
    cmap = chain_map(chain)
    codes = {link.pk: link.code for link in cmap.links}
    upstream: dict[int, list[str]] = {}
    for source, target in cmap.edges:
        upstream.setdefault(target, []).append(codes[source])
    rows = []
    for link in cmap.links:
        head = [
            chain.code, link.code, link.name, str(Stage(link.stage).label), link.position,
            SEPARATOR.join(sorted(upstream.get(link.pk, []))),
        ]  # fmt: skip
        if not link.item_list:
            rows.append(head + [""] * 5)
        for item in link.item_list:
            suppliers = list(item.suppliers.all())
            rows.append(head + [
                str(ItemKind(item.kind).label), item.name, str(ItemStatus(item.status).label),
                SEPARATOR.join(s.name for s in suppliers if s.origin == "domestic"),
                SEPARATOR.join(s.name for s in suppliers if s.origin == "foreign"),
            ])  # fmt: skip
    return rows


def chain_xlsx(chain, language: str = "zh") -> bytes:
    header = [c.header(language) for c in COLUMNS]
    return xlsx_bytes(_("Chain"), header, chain_rows(chain))
