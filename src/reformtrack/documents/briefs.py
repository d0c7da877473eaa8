"""The weekly brief: build a draft from the week's documents (policies, then news, one copy
per cluster), edit, publish (archived, frozen), and render to .html, .pdf or .docx in
Simplified or Traditional Chinese or English (labels; texts stay as written)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reformtrack.core.scoping import can, granted_paths

from .models import Brief, BriefEntry, BriefStatus, Document, Part
from .text.detect import s2t, to_simplified

FACT_KINDS = ("target", "rating", "money", "percent", "count")
MAX_FACTS = 3
FORMATS = ("html", "pdf", "docx")


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=6)


def _require(user, action: str, organisation) -> None:
    if user is None:
        return
    allowed = can(user, action, organisation) if organisation else granted_paths(user, action)
    if not allowed:
        raise PermissionDenied(_("You may not do this with the brief."))


def week_documents(start: dt.date, end: dt.date, organisation=None):
    """Documents of the week, digests themselves left out (their entries stand for them)."""
    docs = Document.objects.filter(
        Q(published_on__range=(start, end))
        | Q(published_on__isnull=True, period_start__range=(start, end))
    ).exclude(entries__isnull=False)
    if organisation is not None:
        from reformtrack.orgs.models import Organisation

        codes = Organisation.objects.filter(path__prefix=organisation.path).values_list(
            "code", flat=True
        )
        docs = docs.filter(items__org_code__in=list(codes))
    return docs.distinct().order_by("parent_id", "id").select_related("cluster")


def _key_facts(document: Document) -> str:
    items = document.items.filter(kind__in=FACT_KINDS).exclude(review="rejected")
    ranked = sorted(
        items, key=lambda i: (i.review != "accepted", FACT_KINDS.index(i.kind), i.start)
    )
    lines = []
    for item in ranked[:MAX_FACTS]:
        what = item.value.get("what") or item.text
        if what not in lines:
            lines.append(what)
    return "\n".join(lines)


def _is_policy(document: Document) -> bool:
    return document.part == Part.POLICY or (
        not document.part and bool(document.doc_number or document.authority)
    )


@transaction.atomic
def build_brief(*, user, week: dt.date, organisation=None, language: str = "zh-Hans") -> Brief:
    _require(user, "change", organisation)
    start, end = week_of(week)
    title_start, title_end = start.strftime("%Y%m%d"), end.strftime("%Y%m%d")
    brief = Brief.objects.create(
        week_start=start, organisation=organisation, language=language, created_by=user,
        title=_("Weekly brief of SOE reform policies and news (%(start)s-%(end)s)")
        % {"start": title_start, "end": title_end},
    )  # fmt: skip
    seen_clusters, counters = set(), {Part.POLICY: 0, Part.NEWS: 0}
    for doc in week_documents(start, end, organisation):
        if doc.cluster_id in seen_clusters:
            continue
        if doc.cluster_id:
            seen_clusters.add(doc.cluster_id)
            best = doc.cluster.best
            doc = best if best and best.parent_id == doc.parent_id else doc
        part = Part.POLICY if _is_policy(doc) else Part.NEWS
        counters[part] += 1
        BriefEntry.objects.create(
            brief=brief, part=part, position=counters[part], document=doc, title=doc.title[:300],
            authority=doc.authority, doc_number=doc.doc_number, date=doc.published_on,
            link=(doc.links or [""])[0][:500], source=doc.source, analysis=doc.analysis,
            key_facts="" if part == Part.POLICY else _key_facts(doc),
        )  # fmt: skip
    return brief


def update_entry(*, user, entry: BriefEntry, **fields) -> BriefEntry:
    brief = entry.brief
    _require(user, "change", brief.organisation)
    if brief.status != BriefStatus.DRAFT:
        raise ValidationError(_("A published brief is archived and cannot be edited."))
    allowed = {"title", "analysis", "key_facts", "source", "authority", "doc_number", "link"}
    for name, value in fields.items():
        if name in allowed:
            setattr(entry, name, value)
    entry.full_clean(exclude=["brief", "document"])
    entry.save()
    return entry


def publish(*, user, brief: Brief) -> Brief:
    _require(user, "approve", brief.organisation)
    if brief.status == BriefStatus.PUBLISHED:
        return brief
    brief.archived_html = render(brief, "html").decode("utf-8")
    brief.status = BriefStatus.PUBLISHED
    brief.published_at = timezone.now()
    brief.save(update_fields=["archived_html", "status", "published_at"])
    return brief


def _convert(language: str):
    if language == "zh-Hant":
        return s2t().convert
    if language == "zh-Hans":
        return to_simplified
    return lambda text: text


def context(brief: Brief) -> dict:
    """Everything a renderer needs, labels in the brief's language, texts converted to its
    script (Chinese only: no translation exists offline)."""
    convert = _convert(brief.language)
    with translation.override("en" if brief.language == "en" else "zh-hans"):
        labels = {
            "period": _("Period"), "contents": _("Contents"),
            "policies": _("Part one: policies on SOE reform, with analysis"),
            "news": _("Part two: news"), "authority": _("Issuing authority"),
            "number": _("Document number"), "date": _("Date"), "link": _("Official link"),
            "analysis": _("Analysis"), "source": _("Source"), "facts": _("Key facts"),
        }  # fmt: skip
    labels = {k: convert(str(v)) for k, v in labels.items()}
    entries = list(brief.entries.all())

    def shape(e: BriefEntry) -> dict:
        return {
            "title": convert(e.title), "authority": convert(e.authority),
            "doc_number": convert(e.doc_number), "date": e.date.isoformat() if e.date else "",
            "link": e.link, "source": convert(e.source),
            "analysis": [convert(p) for p in e.analysis.split("\n") if p.strip()],
            "facts": [convert(p) for p in e.key_facts.split("\n") if p.strip()],
        }  # fmt: skip

    end = brief.week_start + dt.timedelta(days=6)
    return {
        "title": convert(brief.title), "language": "en" if brief.language == "en" else "zh-hans",
        "lang_attr": {"zh-Hant": "zh-TW", "en": "en"}.get(brief.language, "zh-CN"),
        "period": f"{brief.week_start:%Y.%m.%d}-{end:%Y.%m.%d}", "labels": labels,
        "policies": [shape(e) for e in entries if e.part == Part.POLICY],
        "news": [shape(e) for e in entries if e.part == Part.NEWS],
    }  # fmt: skip


def _docx_context(data: dict) -> dict:
    """The core `generic` Word template: title, subtitle, sections of paragraphs."""
    labels = data["labels"]
    contents = [f"{labels['policies']}"] + [f"{i}、{p['title']}" for i, p in
                enumerate(data["policies"], 1)]  # fmt: skip
    contents += [labels["news"]] + [f"{i}、{n['title']}" for i, n in enumerate(data["news"], 1)]
    sections = [{"heading": labels["contents"], "paragraphs": contents},
                {"heading": labels["policies"], "paragraphs": []}]  # fmt: skip
    for i, p in enumerate(data["policies"], 1):
        paragraphs = [f"{labels['authority']}：{p['authority']}" if p["authority"] else "",
                      f"{labels['number']}：{p['doc_number']}" if p["doc_number"] else "",
                      f"{labels['date']}：{p['date']}" if p["date"] else "",
                      f"{labels['link']}：{p['link']}" if p["link"] else "",
                      f"丨{labels['analysis']}丨" if p["analysis"] else "",
                      *p["analysis"]]  # fmt: skip
        sections.append(
            {"heading": f"{i}、{p['title']}", "paragraphs": [x for x in paragraphs if x]}
        )
    sections.append({"heading": labels["news"], "paragraphs": []})
    for i, n in enumerate(data["news"], 1):
        paragraphs = [f"{labels['source']}：{n['source']}" if n["source"] else "",
                      f"{labels['facts']}：" if n["facts"] else "", *n["facts"]]  # fmt: skip
        sections.append(
            {"heading": f"{i}、{n['title']}", "paragraphs": [x for x in paragraphs if x]}
        )
    return {"title": data["title"], "subtitle": f"{labels['period']}：{data['period']}",
            "sections": sections}  # fmt: skip


def render(brief: Brief, fmt: str) -> bytes:
    from reformtrack.core import reports
    from reformtrack.core.reports.pdf import render_html

    if fmt not in FORMATS:
        raise ValidationError(_("Unknown format %(fmt)s.") % {"fmt": fmt})
    data = context(brief)
    if fmt == "html":
        return render_html("documents/brief_render.html", data).encode("utf-8")
    if fmt == "pdf":
        return reports.render_pdf("documents/brief_render.html", data)
    return reports.render_docx("generic", _docx_context(data))
