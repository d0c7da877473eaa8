"""Reads of the documents app: search (portable: tokens or substring over the normalised,
simplified text) with filters, and one document with its items."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action, can

from . import spun_learning
from .models import Document, Extraction
from .spun_models import LearnedSubstitution
from .text.detect import to_simplified
from .text.segment import query_tokens

MAX_QUERY_CHARS = 200  # a query is a few words: longer ones are refused, never a server error
MAX_QUERY_TERMS = 30  # each term is one LIKE: SQLite's expression tree stays small


def query_terms(query: str) -> tuple[str, list[str]]:
    """(simplified query, its search terms), or a ValidationError saying what is too long."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_CHARS:
        raise ValidationError(
            _("A search is at most %(n)s characters; this one has %(given)s.")
            % {"n": MAX_QUERY_CHARS, "given": len(query)}
        )
    simplified = to_simplified(query) if query else ""
    terms = list(dict.fromkeys(query_tokens(simplified))) if simplified else []
    if len(terms) > MAX_QUERY_TERMS:
        raise ValidationError(
            _("A search is at most %(n)s words; this one has %(given)s.")
            % {"n": MAX_QUERY_TERMS, "given": len(terms)}
        )
    return simplified, terms


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
    """Documents the user reads matching every filter; a query too long is a ValidationError.
    `operator`: a command run on the server by its operator (no user), reads everything."""
    simplified, terms = query_terms(query)
    documents = Document.objects.all() if operator else Document.objects.visible_to(user, "view")
    if simplified:
        by_tokens = Q()
        for token in terms:
            by_tokens &= Q(tokens__contains=f" {token} ")
        documents = documents.filter(by_tokens | Q(search_text__icontains=simplified))
    if language:
        documents = documents.filter(language=language)
    if source:
        documents = documents.filter(source__icontains=source)
    # Item filters as EXISTS, not joins: no duplicate rows, so no DISTINCT over the documents'
    # full texts (which cost more than the page's other queries together).
    if organisation:
        named = Extraction.objects.filter(kind="organisation", org_code=organisation)
        documents = documents.filter(Exists(named.filter(document=OuterRef("pk"))))
    if programme:
        named = Extraction.objects.filter(kind="programme", value__code=programme)
        documents = documents.filter(Exists(named.filter(document=OuterRef("pk"))))
    if date_from:
        documents = documents.filter(published_on__gte=date_from)
    if date_to:
        documents = documents.filter(published_on__lte=date_to)
    return documents


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


def organisation(*, user, code: str, action: str = "change"):
    """An organisation the user holds `action` on, by code; a clear error otherwise (naming
    only the code given)."""
    from reformtrack.orgs.models import Organisation

    found = Organisation.objects.visible_to(user, action).filter(code=code.strip().upper())
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


def cluster_sizes(documents, *, user) -> dict[int, int]:
    """Documents the user reads per cluster, for the clusters of `documents` (one query)."""
    from django.db.models import Count

    ids = {d.cluster_id for d in documents if d.cluster_id}
    rows = (
        Document.objects.visible_to(user, "view")
        .filter(cluster_id__in=ids)
        .values("cluster_id")
        .annotate(n=Count("id"))
    )
    return {row["cluster_id"]: row["n"] for row in rows}


def copies_of(*, user, document: Document):
    """The other copies of the document's story that the user reads."""
    if not document.cluster_id:
        return Document.objects.none()
    return (
        Document.objects.visible_to(user, "view")
        .filter(cluster_id=document.cluster_id)
        .exclude(pk=document.pk)
        .select_related("cluster")
    )


ORDINARY_SHARE = 5  # a spun form clean prose writes at least a fifth as often is ordinary


def spun_proposals(user, *, limit: int) -> list:
    """The learned swaps the user may see, most often seen first, each with `may_decide` and
    how often clean prose writes each form (`library_spun`, `library_original`): a spun form
    that is an ordinary word there (公司 beside 企业) is undone where the context cannot tell,
    so some original uses are changed too (`ordinary`); the reviewer sees it before accepting."""
    rows = LearnedSubstitution.objects.visible_to(user, Action.VIEW).select_related("owner")
    rows = list(rows.order_by("status", "-count", "spun")[:limit])
    model, _swaps = spun_learning.current()
    for row in rows:
        row.may_decide = can(user, Action.CHANGE, row)
        row.library_spun = model.word_count(row.spun)
        row.library_original = model.word_count(row.original)
        row.ordinary = row.library_spun * ORDINARY_SHARE >= max(1, row.library_original)
    return rows
