"""Permission-matrix samples of the chains app: per group a chain (leader A-SUB / B-SUB), a key
item, a green channel and a procurement; the three-firsts register is reference. Benchmarks
(orgs) have their own samples: tests/samples_benchmarks.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reformtrack.chains import services
from reformtrack.chains.models import Chain, FirstItem


def build(tree, people) -> dict:
    first = services.register_first_item(
        user=None, category="first_set", name="样品装备", supplier="样品供应商"
    )
    chains, items, channels, buys = {}, {}, {}, {}
    for side, code in (("a", "A-SUB"), ("b", "B-SUB")):
        org = tree[code]
        chains[side] = services.save_chain(
            user=None, code=f"CH-{side.upper()}", name_zh=f"{side}链", leader=org,
            supervisor=tree["SASAC"],
        )  # fmt: skip
        link = services.save_link(
            user=None, chain=chains[side], code="L1", name="环节", stage="upstream"
        )
        items[side] = services.save_item(
            user=None, link=link, kind="product", name="部件", status="bottleneck"
        )
        channels[side] = services.set_green_channel(
            user=None, organisation=org, established_on=dt.date(2023, 1, 1)
        )
        buys[side] = services.record_procurement(
            user=None, enterprise=org, item=first, date=dt.date(2024, 1, 1),
            amount=Decimal("100.00"), green_channel=True,
        )  # fmt: skip
    return {
        "models": {Chain: chains},
        "api": {
            "chain": chains, "chainitem": items, "greenchannel": channels,
            "procurement": buys,
        },
        "reference": {FirstItem},
    }  # fmt: skip
