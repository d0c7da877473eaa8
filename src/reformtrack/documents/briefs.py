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
from django.utils.translation import pgettext

from reformtrack.core.scoping import can

from .models import Brief, BriefEntry, BriefStatus, Document, Part
from .ownership import may, owner_for
from .text.convert import to_simplified
from .text.detect import s2t

FACT_KINDS = ("target", "rating", "money", "percent", "count")
MAX_FACTS = 3
FORMATS = ("html", "pdf", "docx")


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=6)


def _require(user, action: str, brief: Brief) -> None:
    """Only the office of the brief's owner (or a supervisor above it) edits or publishes."""
    if not may(user, action, brief):
        raise PermissionDenied(_("You may not do this with the brief."))


def week_documents(start: dt.date, end: dt.date, organisation=None, *, owner=None):
    """Documents of the week that every reader of the owner's brief may read (the owner's own
    and its supervisors' public ones), digests left out (their entries stand for them)."""
    docs = (
        Document.objects.shared_with(owner)
        .filter(
            Q(published_on__range=(start, end))
            | Q(published_on__isnull=True, period_start__range=(start, end))
        )
        .exclude(entries__isnull=False)
    )
    if organisation is not None:
        from reformtrack.orgs.models import Organisation

        codes = Organisation.objects.filter(path__prefix=organisation.path).values_list(
            "code", flat=True
        )
        docs = docs.filter(items__org_code__in=list(codes))
    return docs.distinct().order_by("parent_id", "id").select_related("cluster")


# How much a kind of figure tells a reader of the brief: ratios and targets first.
FACT_WEIGHT = {"target": 10, "percent": 8, "rating": 6, "money": 5, "count": 2}
TELLING = ("同比", "增长", "下降", "提高", "占比", "比例", "year on year", "up ", "down ")


def fact_score(kind: str, value: dict, text: str) -> float:
    """Importance of one extracted figure: its kind, a change or share said in its sentence,
    the size of money; a count of ten or less (3家) tells little."""
    score = float(FACT_WEIGHT.get(kind, 0))
    what = value.get("what") or text
    if kind in ("percent", "money", "target") and any(w in what for w in TELLING):
        score += 2
    if kind == "money":
        digits = str(value.get("value") or "").split(".")[0].lstrip("-")
        score += min(3.0, len(digits) / 4)  # 20亿元 (10 digits) counts more than 37万元
    if kind == "count" and int(value.get("count") or 0) <= 10:
        score = 0.5
    return score


def _key_facts(document: Document) -> str:
    """The MAX_FACTS most important figures (accepted ones first), each by its sentence, in
    the order of the text."""
    items = document.items.filter(kind__in=FACT_KINDS).exclude(review="rejected")
    ranked = sorted(
        items,
        key=lambda i: (i.review != "accepted", -fact_score(i.kind, i.value, i.text), i.start),
    )
    chosen: dict[str, int] = {}  # sentence → its place in the text; one line per sentence
    for item in ranked:
        what = item.value.get("what") or item.text
        if what not in chosen:
            chosen[what] = item.start
        if len(chosen) == MAX_FACTS:
            break
    lines = sorted(chosen, key=chosen.get)
    return "\n".join(lines)


def _is_policy(document: Document) -> bool:
    return document.part == Part.POLICY or (
        not document.part and bool(document.doc_number or document.authority)
    )


@transaction.atomic
def build_brief(*, user, week: dt.date, organisation=None, language: str = "zh-Hans",
                owner=None) -> Brief:  # fmt: skip
    """A draft owned by `owner` (default: the user's office; for the operator the brief's
    organisation, else the top supervisor), narrowed to news about `organisation` if given."""
    if user is not None and organisation is not None and not can(user, "change", organisation):
        raise PermissionDenied(_("You may not do this with the brief."))
    if owner is None and user is None and organisation is not None:
        owner = organisation
    owner = owner_for(user, "change", owner)
    start, end = week_of(week)
    title_start, title_end = start.strftime("%Y%m%d"), end.strftime("%Y%m%d")
    with translation.override("en" if language == "en" else "zh-hans"):  # the brief's language
        title = _("Weekly brief of SOE reform policies and news (%(start)s-%(end)s)") % {
            "start": title_start, "end": title_end}  # fmt: skip
    brief = Brief.objects.create(
        week_start=start, organisation=organisation, language=language, created_by=user,
        title=to_script(language, title), owner=owner,
    )  # fmt: skip
    seen_clusters, counters = set(), {Part.POLICY: 0, Part.NEWS: 0}
    documents = list(week_documents(start, end, organisation, owner=owner))
    shared = {d.pk for d in documents}
    for doc in documents:
        if doc.cluster_id in seen_clusters:
            continue
        if doc.cluster_id:
            seen_clusters.add(doc.cluster_id)
            best = doc.cluster.best  # the best copy only if the brief's readers may read it
            doc = best if best and best.parent_id == doc.parent_id and best.pk in shared else doc
        part = Part.POLICY if _is_policy(doc) else Part.NEWS
        counters[part] += 1
        texts = {"title": doc.title, "authority": doc.authority, "doc_number": doc.doc_number,
                 "source": doc.source, "analysis": doc.analysis,
                 "key_facts": "" if part == Part.POLICY else _key_facts(doc)}  # fmt: skip
        BriefEntry.objects.create(
            brief=brief, part=part, position=counters[part], document=doc,
            date=doc.published_on, link=(doc.links or [""])[0][:500], **in_script(brief, texts),
        )  # fmt: skip
    return brief


TEXT_FIELDS = {"title": 300, "authority": 200, "doc_number": 100, "source": 200,
               "analysis": None, "key_facts": None}  # fmt: skip


def in_script(brief: Brief, fields: dict) -> dict:
    """Texts stored in the brief's script (a Simplified brief holds Simplified text), so the
    editor shows what will be published; lengths cut to the fields' limits."""
    converted = {}
    for name, value in fields.items():
        if name in TEXT_FIELDS and isinstance(value, str):
            value = to_script(brief.language, value)
            value = value[: TEXT_FIELDS[name]] if TEXT_FIELDS[name] else value
        converted[name] = value
    return converted


def update_entry(*, user, entry: BriefEntry, **fields) -> BriefEntry:
    brief = entry.brief
    _require(user, "change", brief)
    if brief.status != BriefStatus.DRAFT:
        raise ValidationError(_("A published brief is archived and cannot be edited."))
    allowed = {"title", "analysis", "key_facts", "source", "authority", "doc_number", "link"}
    fields = {name: value for name, value in fields.items() if name in allowed}
    for name, value in in_script(brief, fields).items():
        setattr(entry, name, value)
    entry.full_clean(exclude=["brief", "document"])
    entry.save()
    return entry


def publish(*, user, brief: Brief) -> Brief:
    _require(user, "approve", brief)
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


META = (("authority", "authority"), ("number", "doc_number"), ("date", "date"), ("link", "link"))
PART_ORDER = {Part.POLICY: 0, Part.NEWS: 1}


def ordered_entries(brief: Brief) -> list[BriefEntry]:
    """Entries in the order of the published brief: part one (policies), then part two."""
    return sorted(brief.entries.all(), key=lambda e: (PART_ORDER.get(e.part, 9), e.position))


def punctuation(language: str) -> dict:
    """Colon, numbering and the analysis marks of the brief's language: Chinese keeps
    full-width `：`, `1、` and `丨简析丨`; English uses `: `, `1. ` and a plain heading."""
    if language == "en":
        return {"colon": ": ", "sep": ". ", "mark": ""}
    return {"colon": "：", "sep": "、", "mark": "丨"}


def to_script(language: str, text: str) -> str:
    """`text` in the brief's script (Chinese briefs); English briefs keep texts as written."""
    return _convert(language)(text) if text else text


def context(brief: Brief) -> dict:
    """Everything a renderer needs, labels in the brief's language, texts converted to its
    script (Chinese only: no translation exists offline)."""
    convert = _convert(brief.language)
    with translation.override("en" if brief.language == "en" else "zh-hans"):
        # The brief's own words (context "brief"): another catalogue's "Date" must not win.
        labels = {
            "period": pgettext("brief", "Period"), "contents": pgettext("brief", "Contents"),
            "policies": _("Part one: policies on SOE reform, with analysis"),
            "news": _("Part two: news"), "authority": pgettext("brief", "Issuing authority"),
            "number": pgettext("brief", "Document number"), "date": pgettext("brief", "Date"),
            "link": pgettext("brief", "Official link"),
            "analysis": pgettext("brief", "Analysis"), "source": pgettext("brief", "Source"),
            "facts": pgettext("brief", "Key facts"),
        }  # fmt: skip
    labels = {k: convert(str(v)) for k, v in labels.items()}
    punct = punctuation(brief.language)
    entries = ordered_entries(brief)

    def shape(number: int, e: BriefEntry) -> dict:
        title = convert(e.title)
        data = {
            "title": title, "heading": f"{number}{punct['sep']}{title}",
            "authority": convert(e.authority),
            "doc_number": convert(e.doc_number), "date": e.date.isoformat() if e.date else "",
            "link": e.link, "source": convert(e.source),
            "analysis": [convert(p) for p in e.analysis.split("\n") if p.strip()],
            "facts": [convert(p) for p in e.key_facts.split("\n") if p.strip()],
        }  # fmt: skip
        # (label, value) of each metadata line that has a value: one row each, never misaligned
        data["meta"] = [(labels[label], data[key]) for label, key in META if data[key]]
        return data

    def shaped(part: str) -> list[dict]:
        return [shape(i, e) for i, e in enumerate((e for e in entries if e.part == part), 1)]

    end = brief.week_start + dt.timedelta(days=6)
    return {
        "title": convert(brief.title), "language": "en" if brief.language == "en" else "zh-hans",
        "lang_attr": {"zh-Hant": "zh-TW", "en": "en"}.get(brief.language, "zh-CN"),
        "period": f"{brief.week_start:%Y.%m.%d}-{end:%Y.%m.%d}", "labels": labels,
        "punct": punct,
        "analysis_heading": f"{punct['mark']}{labels['analysis']}{punct['mark']}",
        "policies": shaped(Part.POLICY), "news": shaped(Part.NEWS),
    }  # fmt: skip


def _docx_context(data: dict) -> dict:
    """The core `generic` Word template: title, subtitle, sections of paragraphs."""
    labels, colon = data["labels"], data["punct"]["colon"]
    contents = [labels["policies"], *(p["heading"] for p in data["policies"])]
    contents += [labels["news"], *(n["heading"] for n in data["news"])]
    sections = [{"heading": labels["contents"], "paragraphs": contents},
                {"heading": labels["policies"], "paragraphs": []}]  # fmt: skip
    for p in data["policies"]:
        paragraphs = [f"{label}{colon}{value}" for label, value in p["meta"]]
        if p["analysis"]:
            paragraphs += [data["analysis_heading"], *p["analysis"]]
        sections.append({"heading": p["heading"], "paragraphs": paragraphs})
    sections.append({"heading": labels["news"], "paragraphs": []})
    for n in data["news"]:
        paragraphs = [f"{labels['source']}{colon}{n['source']}" if n["source"] else "",
                      f"{labels['facts']}{colon.strip()}" if n["facts"] else "",
                      *n["facts"]]  # fmt: skip
        sections.append({"heading": n["heading"], "paragraphs": [x for x in paragraphs if x]})
    return {"title": data["title"], "subtitle": f"{labels['period']}{colon}{data['period']}",
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
