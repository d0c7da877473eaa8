"""Reads of the documents app: search (portable: tokens or substring over the normalised,
simplified text) with filters, and one document with its items."""

from __future__ import annotations

from django.db.models import Q

from .models import Document, Extraction
from .text.detect import to_simplified
from .text.segment import query_tokens


def search(
    *,
    user,
    query: str = "",
    language: str = "",
    source: str = "",
    organisation: str = "",
    programme: str = "",
    date_from=None,
    date_to=None,
    operator: bool = False,
):
    """`operator`: a command run on the server by its operator (no user), reads everything."""
    documents = Document.objects.all() if operator else Document.objects.visible_to(user, "view")
    query = (query or "").strip()
    if query:
        simplified = to_simplified(query)
        by_tokens = Q()
        for token in query_tokens(simplified):
            by_tokens &= Q(tokens__contains=f" {token} ")
        documents = documents.filter(by_tokens | Q(search_text__icontains=simplified))
    if language:
        documents = documents.filter(language=language)
    if source:
        documents = documents.filter(source__icontains=source)
    if organisation:
        documents = documents.filter(items__kind="organisation", items__org_code=organisation)
    if programme:
        documents = documents.filter(items__kind="programme", items__value__code=programme)
    if date_from:
        documents = documents.filter(published_on__gte=date_from)
    if date_to:
        documents = documents.filter(published_on__lte=date_to)
    return documents.distinct()


def items_of(*, user, document: Document):
    return Extraction.objects.visible_to(user, "view").filter(document=document)


def campaigns_for(*, user):
    """Campaigns a rating may be promoted into (the user approves there); none if assessments
    is not installed."""
    try:
        from reformtrack.assessments.models import Campaign
    except ImportError:
        return []
    return Campaign.objects.visible_to(user, "approve").order_by("-year", "code")


def organisation(*, user, code: str):
    """An organisation in the user's scope by code; a clear error otherwise."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from reformtrack.orgs.models import Organisation

    found = Organisation.objects.visible_to(user, "change").filter(code=code.strip().upper())
    if not found.exists():
        raise ValidationError(_("No organisation %(code)s in your scope.") % {"code": code})
    return found.get()


def programme_area(*, programme: str, area: str):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from reformtrack.programs.models import Area

    found = Area.objects.filter(programme__code=programme.strip().upper(), code=area.strip())
    if not found.exists():
        raise ValidationError(_("Programme %(p)s has no area %(a)s.") % {"p": programme, "a": area})
    area_ = found.select_related("programme").get()
    return area_.programme, area_


def statement_lines(*, user):
    """Statement lines a money figure may go into (read-only use of the kpis app)."""
    try:
        from reformtrack.kpis.models import StatementLine
    except ImportError:
        return []
    return StatementLine.objects.visible_to(user, "view").order_by("order", "code")


def cluster_sizes(documents) -> dict[int, int]:
    """Documents per cluster, for the clusters of `documents` (one query)."""
    from django.db.models import Count

    ids = {d.cluster_id for d in documents if d.cluster_id}
    rows = Document.objects.filter(cluster_id__in=ids).values("cluster_id").annotate(n=Count("id"))
    return {row["cluster_id"]: row["n"] for row in rows}
