"""Permission-matrix samples of management benchmarks (orgs): per group a benchmark enterprise
named by the second supervisor PROV, so group B's office (under SASAC) is on neither the naming
supervisor's line nor the organisation's subtree of group A's sample."""

from __future__ import annotations

from reformtrack.orgs.benchmark_services import name_benchmark


def build(tree, people) -> dict:
    marks = {
        side: name_benchmark(
            user=None,
            supervisor=tree["PROV"],
            kind="enterprise",
            name=f"标杆{side}",
            year=2021,
            organisation=tree[code],
            areas=["finance"],
        )  # fmt: skip
        for side, code in (("a", "A-SUB"), ("b", "B-SUB"))
    }
    return {"api": {"benchmark": marks}}
