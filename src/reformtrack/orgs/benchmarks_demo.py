"""Demo management benchmarks: seed 004's Jiangsu entries on SASAC's list of 2021-08-06 (three
benchmark enterprises and XCMG's strategy-based "315" comprehensive budget management as a
benchmark project). The management areas are inferred from the seed's descriptions. Each named
organisation holds the matching designation (the orgs demo already gives the enterprises theirs,
which the benchmarks reuse). Idempotent."""

from __future__ import annotations

import datetime as dt

from reformtrack.core.demo import register

from .benchmark_services import name_benchmark
from .models import Organisation

SOURCE_004 = "seeds/004（国务院国资委管理标杆创建行动名单，2021-08-06）"
NAMED_ON = dt.date(2021, 8, 6)
# kind, organisation code, name, areas
BENCHMARKS = [
    ("enterprise", "JSCH", "江苏交通控股有限公司", ["operations", "it"]),
    ("enterprise", "XUZHOU-MINING", "徐州矿务集团有限公司", ["organisation", "strategy"]),
    ("enterprise", "SUZHOU-BEARING", "苏州轴承厂股份有限公司", ["it", "technology"]),
    ("project", "XCMG", "基于战略的“315”全面预算管理", ["finance"]),
]


@register(12, "benchmarks")
def load(stdout=None) -> dict:
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=["SASAC", *CODES])}
    if "SASAC" not in orgs:
        return {"benchmarks": 0}
    made = [
        name_benchmark(
            user=None,
            supervisor=orgs["SASAC"],
            kind=kind,
            name=name,
            year=NAMED_ON.year,
            areas=areas,
            organisation=orgs.get(code),
            source=SOURCE_004,
            named_on=NAMED_ON,
        )  # fmt: skip
        for kind, code, name, areas in BENCHMARKS
    ]
    if stdout is not None:
        stdout.write(f"Demo benchmarks: {len(made)} named by SASAC in {NAMED_ON.year}.")
    return {"benchmarks": len(made)}


CODES = [code for _kind, code, _name, _areas in BENCHMARKS]
