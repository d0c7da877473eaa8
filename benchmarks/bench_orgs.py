"""Subtree scoping at national scale: the product's path-prefix filter against a naive
recursive walk over the same tree (the baseline the issue rules out).

    python benchmarks/bench_orgs.py [--nodes 50000] [--out FILE]

Builds a 4-level tree (supervisor → groups → level-2 → level-3 subsidiaries), then times, for a
reform office holding one group and for the supervisor holding the root: counting the visible
subtree, reading the first list page, and an object check; the naive walk reads children level by
level from the parent column. Prints JSON with times and ratios (naive ÷ product).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.common import setup_django, timed, write  # noqa: E402


def build_tree(nodes: int):
    from django.db import connection

    from reformtrack.orgs.models import Organisation

    groups = 100
    per_group = max(1, (nodes - 1 - groups) // groups)
    level2 = max(1, min(int(per_group**0.5), per_group))
    level3 = max(0, math.ceil((per_group - level2) / level2))
    path = Organisation._get_path
    rows, parents = [], {}

    def node(code, kind, level, depth, p, parent_path, numchild):
        org = Organisation(
            code=code, name_zh=code, kind=kind, level=level, depth=depth,
            path=path(parent_path, depth, p), numchild=numchild,
        )  # fmt: skip
        rows.append(org)
        return org

    root = node("ROOT", "supervisor", 0, 1, 1, None, groups)
    for g in range(1, groups + 1):
        grp = node(f"G{g}", "group", 1, 2, g, root.path, level2)
        parents[grp.code] = root.code
        for s in range(1, level2 + 1):
            sub = node(f"G{g}-S{s}", "subsidiary", 2, 3, s, grp.path, level3)
            parents[sub.code] = grp.code
            for t in range(1, level3 + 1):
                leaf = node(f"G{g}-S{s}-T{t}", "subsidiary", 3, 4, t, sub.path, 0)
                parents[leaf.code] = sub.code
    Organisation.objects.bulk_create(rows, batch_size=5000)
    ids = dict(Organisation.objects.values_list("code", "id"))
    updates = [Organisation(id=ids[c], parent_id=ids[p]) for c, p in parents.items()]
    Organisation.objects.bulk_update(updates, ["parent_id"], batch_size=5000)
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would leave them
        cursor.execute("ANALYZE")
    return Organisation.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=50_000)
    parser.add_argument("--out")
    args = parser.parse_args()
    vendor = setup_django()

    from reformtrack.core.scoping import can, forget
    from reformtrack.core.services.users import create_user
    from reformtrack.orgs import selectors
    from reformtrack.orgs.models import Organisation
    from reformtrack.orgs.services import grant_role

    total = build_tree(args.nodes)
    group = Organisation.objects.get(code="G50")
    leaf = Organisation.objects.filter(path__startswith=group.path, depth=4).last()
    office = create_user(username="office", password="Bench#2026x")
    grant_role(user=office, organisation=group, role="reform_office")
    supervisor = create_user(username="sup", password="Bench#2026x")
    grant_role(user=supervisor, organisation=Organisation.objects.get(code="ROOT"), role="viewer")

    def product_count(user):
        forget(user)
        return Organisation.objects.visible_to(user).count()

    def product_page(user):
        forget(user)
        return list(selectors.organisation_list(user)[:50])

    def product_check(user):
        forget(user)
        return can(user, "view", leaf)

    def naive_subtree(root_id):
        """Recursive Python: one query per node for its children."""
        seen, stack = 0, [root_id]
        while stack:
            current = stack.pop()
            seen += 1
            stack.extend(
                Organisation.objects.filter(parent_id=current).values_list("id", flat=True)
            )
        return seen

    def naive_check(user):
        """Walk up from the object to see whether a granted organisation is an ancestor."""
        granted = set(user.role_assignments.values_list("organisation_id", flat=True))
        current = leaf
        while current is not None:
            if current.pk in granted:
                return True
            current = Organisation.objects.filter(pk=current.parent_id).first()
        return False

    assert product_count(office) == naive_subtree(group.pk)
    results = {
        "group_subtree_count": timed(lambda: product_count(office)),
        "group_list_first_page": timed(lambda: product_page(office)),
        "root_subtree_count": timed(lambda: product_count(supervisor)),
        "root_list_first_page": timed(lambda: product_page(supervisor)),
        "object_check": timed(lambda: product_check(office)),
        "naive_group_subtree_walk": timed(lambda: naive_subtree(group.pk), repeat=3),
        "naive_object_check": timed(lambda: naive_check(office)),
    }
    ratios = {
        "naive_walk_over_product_group_count": round(
            results["naive_group_subtree_walk"]["median_s"]
            / results["group_subtree_count"]["median_s"], 1
        ),
        "naive_check_over_product_check": round(
            results["naive_object_check"]["median_s"] / results["object_check"]["median_s"], 1
        ),
    }  # fmt: skip
    write(
        {
            "benchmark": "orgs_subtree_scoping",
            "database": vendor,
            "nodes": total,
            "group_subtree_size": product_count(office),
            "results": results,
            "ratios": ratios,
        },
        args.out,
    )


if __name__ == "__main__":
    main()
