"""Writes of management benchmarks: a supervisor names (or withdraws) a benchmark; a named
organisation gets the matching designation in the same transaction. Keyword-only; `user=None` is
the operator or the demo."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action, require

from .benchmarks import DESIGNATION_OF, Benchmark, BenchmarkKind, ManagementArea
from .models import Designation, DesignationKind, Organisation


def _designate(benchmark: Benchmark) -> Designation | None:
    """The organisation's designation of this benchmark's kind from the day it was named: an
    existing one in force that day is reused, otherwise one is added (source: the benchmark's)."""
    if benchmark.organisation_id is None:
        return None
    kind = DesignationKind.objects.filter(code=DESIGNATION_OF[benchmark.kind]).first()
    if kind is None:  # the system administrator removed the kind: the record stands alone
        return None
    day = benchmark.named_on or dt.date(benchmark.year, 1, 1)
    found = (
        Designation.objects.current(day)
        .filter(organisation=benchmark.organisation, kind=kind)
        .order_by("valid_from")
        .first()
    )
    if found is not None:
        return found
    designation = Designation(
        organisation=benchmark.organisation, kind=kind, valid_from=day,
        source=benchmark.source[:300],
        note="" if benchmark.kind == BenchmarkKind.ENTERPRISE else benchmark.name,
    )  # fmt: skip
    designation.full_clean()
    designation.save()
    return designation


@transaction.atomic
def name_benchmark(
    *, user, supervisor: Organisation, kind: str, name: str, year: int, areas=(),
    organisation: Organisation | None = None, source: str = "",
    named_on: dt.date | None = None,
) -> Benchmark:  # fmt: skip
    """A supervisor names a benchmark enterprise, project or model (needs `manage` on the
    supervisor). The organisation may sit under another supervisor (SASAC named Jiangsu's local
    SOEs); its designation is the supervisor's act, so no grant on the organisation is needed."""
    require(user, Action.MANAGE, supervisor)
    if supervisor.kind != "supervisor":
        raise ValidationError({"supervisor": _("Benchmarks are named by a supervisor.")})
    if kind not in BenchmarkKind.values:
        raise ValidationError({"kind": _("Unknown value %(value)s.") % {"value": kind}})
    for area in areas:
        if area not in ManagementArea.values:
            raise ValidationError({"areas": _("Unknown value %(value)s.") % {"value": area}})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A benchmark needs a name.")})
    if named_on is not None and named_on.year != year:
        raise ValidationError({"named_on": _("The date must fall in the year named.")})
    benchmark, _created = Benchmark.objects.update_or_create(
        supervisor=supervisor, year=year, kind=kind, name=name,
        defaults={"organisation": organisation, "areas": list(areas), "source": source,
                  "named_on": named_on},
    )  # fmt: skip
    designation = _designate(benchmark)
    if designation is not None and benchmark.designation_id != designation.pk:
        benchmark.designation = designation
        benchmark.save(update_fields=["designation"])
    return benchmark


@transaction.atomic
def withdraw_benchmark(*, user, benchmark: Benchmark, on: dt.date) -> None:
    """The supervisor withdraws a benchmark: the record goes and the designation it created
    ends the day before `on` (the organisation's history keeps it)."""
    require(user, Action.MANAGE, benchmark)
    designation = benchmark.designation
    benchmark.delete()
    if designation is not None and (designation.valid_to is None or designation.valid_to >= on):
        if on <= designation.valid_from:
            designation.delete()
        else:
            designation.valid_to = on - dt.timedelta(days=1)
            designation.save(update_fields=["valid_to"])
