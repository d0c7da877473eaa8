"""`reformtrack docs ingest PATH… | show ID | search QUERY | evaluate GOLD | brief | orphans`.

`--user NAME` acts as that user (their scope; what they ingest or build belongs to their
office); without it the operator acts, and ingests public documents of the top supervisor
(`--owner CODE` names another owner)."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError

from reformtrack.core.audit_hash import to_json_value
from reformtrack.core.management.base import CommandError, ReformtrackCommand
from reformtrack.documents import selectors, services
from reformtrack.documents.evaluation import evaluate, evaluate_gold_file
from reformtrack.documents.models import Document
from reformtrack.documents.page_address import clean_address
from reformtrack.documents.pipeline import process
from reformtrack.documents.text.readers import KINDS


def summary(document: Document, created: bool, file: str) -> dict:
    items = list(document.items.values_list("kind", flat=True))
    entity_kinds = {"organisation", "programme", "person"}
    return {
        "id": document.pk,
        "file": file,
        "created": created,
        "language": document.language,
        "script": document.script,
        "published_on": document.published_on,
        "title": document.title,
        "source": document.source,
        "source_inferred": document.source_inferred,
        "address": document.address,
        "spun": document.spun,
        "spun_confidence": document.spun_confidence,
        "cluster": document.cluster_id,
        "entities": sum(k in entity_kinds for k in items),
        "facts": sum(k not in entity_kinds for k in items),
    }


def detail(document: Document) -> dict:
    data = summary(document, False, document.filename)
    data.update(
        author=document.author,
        authority=document.authority,
        doc_number=document.doc_number,
        links=document.links,
        changes=document.changes,
        repairs=document.repairs,
        items=[
            {
                "kind": i.kind,
                "text": i.text,
                "start": i.start,
                "end": i.end,
                "method": i.method,
                "value": i.value,
                "review": i.review,
            }
            for i in document.items.all()
        ],
    )
    return data


class Command(ReformtrackCommand):
    help = "Policies and news: ingest files, show one document, search, evaluate extraction."
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        ingest = sub.add_parser("ingest", help="ingest files or folders (txt, html, docx, pdf)")
        ingest.add_argument("paths", nargs="+")
        ingest.add_argument(
            "--queue", action="store_true", help="queue on Celery (needs CELERY_BROKER_URL)"
        )
        ingest.add_argument("--owner", default="", help="owning organisation's code")
        ingest.add_argument(
            "--address",
            default="",
            metavar="URL",
            help="the page the one file was fetched from (its date serves when the text has none)",
        )
        show = sub.add_parser("show", help="one document: metadata, entities, facts, spans")
        show.add_argument("id", type=int)
        search = sub.add_parser("search", help="full-text search")
        search.add_argument("query")
        evaluate_ = sub.add_parser("evaluate", help="precision and recall on a gold file")
        evaluate_.add_argument("gold")
        brief = sub.add_parser("brief", help="the weekly brief as .docx, .pdf or .html")
        brief.add_argument("--week", required=True, help="any day of the week, YYYY-MM-DD")
        brief.add_argument("--org", default="", help="only documents about this organisation")
        brief.add_argument("--language", default="zh-Hans", choices=["zh-Hans", "zh-Hant", "en"])
        brief.add_argument("-o", "--output", required=True, help="FILE.docx, FILE.pdf or FILE.html")
        brief.add_argument("--owner", default="", help="owning organisation's code")
        orphans = sub.add_parser("orphans", help="files under documents/ that no row names")
        orphans.add_argument("--delete", action="store_true", help="remove them")
        for p in (ingest, show, search, evaluate_, brief, orphans):
            p.add_argument("--json", action="store_true", help="machine-readable output")
        for p in (ingest, show, search, brief):
            p.add_argument("--user", default="", help="act as this user, within their scope")

    def handle(self, *args, sub, **options):
        if sub != "ingest" or threading.current_thread() is not threading.main_thread():
            getattr(self, f"do_{sub}")(options)
            return
        # A SIGTERM ends the run like an error: the file being stored goes with its row.
        previous = signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
        try:
            self.do_ingest(options)
        finally:
            signal.signal(signal.SIGTERM, previous)

    def _files(self, paths):
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files += sorted(p for p in path.rglob("*") if p.suffix.lower() in KINDS)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{raw}: no such file or folder")
        return files

    def _owner(self, user, code: str, action: str):
        """The organisation named by --owner (within the user's `action` scope), or None."""
        if not code:
            return None
        from reformtrack.orgs.models import Organisation

        found = (
            Organisation.objects.visible_to(user, action)
            if user is not None
            else Organisation.objects.all()
        )
        owner = found.filter(code=code.strip().upper()).first()
        if owner is None:
            raise CommandError(f"--owner {code}: no such organisation in your scope")
        return owner

    def _address(self, raw: str, files: list) -> str:
        """The --address given, checked; it names the page of one file only."""
        try:
            address = clean_address(raw)
        except ValidationError as exc:
            raise CommandError(f"--address: {exc.messages[0]}") from None
        if address and len(files) != 1:
            raise CommandError(
                f"--address names the page of one file; {len(files)} files were given."
            )
        return address

    def do_ingest(self, options):
        files = self._files(options["paths"])
        address = self._address(options["address"], files)
        user = self.acting_user(options["user"])
        owner = self._owner(user, options["owner"], "report")
        if options["queue"]:
            if user is not None or owner is not None or address:
                raise CommandError(
                    "--queue ingests as the operator: no --user, --owner or --address."
                )
            from reformtrack.documents.tasks import backfill, broker_url

            if not broker_url():
                raise CommandError("--queue needs CELERY_BROKER_URL (a Redis URL).")
            for task_id in backfill([str(f) for f in files]):
                self.stdout.write(json.dumps({"queued": task_id}))
            return
        results, failed = [], False
        bar = self.progress(len(files), "documents", options["json"])
        # Read lazily, written in batches (one transaction per 100 files); one outcome per
        # file, in order.
        contents = ((path.read_bytes(), path.name, address) for path in files)
        try:
            outcomes = services.ingest_many(user=user, files=contents, owner=owner)
            for path, outcome in zip(files, outcomes, strict=True):
                if outcome.error:
                    failed = True
                    results.append({"file": str(path), "error": outcome.error})
                else:
                    results.append(summary(outcome.document, outcome.created, str(path)))
                bar.update()
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        bar.close()
        # Clusters that now hold a clean and a spun copy propose their swaps for review.
        from reformtrack.documents.spun_learning import learn_from_documents

        learned = learn_from_documents(
            Document.objects.filter(pk__in=[r["id"] for r in results if "id" in r])
        )
        if options["json"]:  # one object per line (JSON Lines)
            for row in results:
                self.stdout.write(json.dumps(to_json_value(row), ensure_ascii=False))
        else:
            for r in results:
                if "error" in r:
                    self.stderr.write(f"{r['file']}: {r['error']}")
                else:
                    state = "new" if r["created"] else "already ingested"
                    self.stdout.write(
                        f"{r['id']:>5} {r['language']:<8} {r['published_on'] or '-'} "
                        f"{'SPUN ' if r['spun'] else ''}{r['title'][:50]} ({state})"
                    )
        new = sum(1 for r in results if r.get("created"))
        errors = sum(1 for r in results if "error" in r)
        if not options["json"]:
            self.stdout.write(
                f"{len(results)} file(s): {new} new, {len(results) - new - errors} already "
                f"ingested, {errors} unreadable; {learned} spun-text swap(s) proposed for review"
            )
        if failed:
            raise CommandError("Some files could not be read.")

    def do_show(self, options):
        user = self.acting_user(options["user"])
        documents = Document.objects.visible_to(user) if user is not None else Document.objects
        document = documents.filter(pk=options["id"]).first()
        if document is None:
            raise CommandError(f"No document {options['id']}.")
        data = detail(document)
        if options["json"]:
            self.emit_json(data)
            return
        for key in ("title", "language", "published_on", "source", "authority", "doc_number"):
            self.stdout.write(f"{key:>14}: {data[key]}")
        for item in data["items"]:
            self.stdout.write(f"  [{item['start']}:{item['end']}] {item['kind']}: {item['text']}")

    def do_search(self, options):
        user = self.acting_user(options["user"])
        try:
            found = list(selectors.search(user=user, query=options["query"], operator=user is None))
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        rows = [{"id": d.pk, "title": d.title, "published_on": d.published_on} for d in found]
        if options["json"]:
            self.emit_json(rows)
        else:
            for r in rows:
                self.stdout.write(f"{r['id']:>5} {r['published_on'] or '-'} {r['title']}")

    def do_evaluate(self, options):
        gold_path = Path(options["gold"])
        if not gold_path.is_file():
            raise CommandError(f"{gold_path}: no such file")
        import yaml

        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        if gold.get("schema") == 2:  # real articles: per type and language, nothing stored
            report = evaluate_gold_file(gold_path)
            if options["json"]:
                self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
                return
            self._print_rows("type", report["types"])
            self._print_rows("language", report["languages"])
            o = report["overall"]
            self.stdout.write(
                f"overall precision {o['precision']:.3f} recall {o['recall']:.3f} "
                f"F1 {o['f1']:.3f} ({report['documents']} documents)"
            )
            return
        extracted = {}
        for doc in gold["documents"]:
            path = gold_path.parent / doc["file"]
            extracted[doc["file"]] = process(path.read_bytes(), path.name).items
        report = evaluate(gold_path.read_text(encoding="utf-8"), extracted)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{'category':<14}{'gold':>6}{'found':>7}{'correct':>9}{'precision':>11}{'recall':>8}"
        )
        for r in report["categories"]:
            self.stdout.write(
                f"{r['category']:<14}{r['gold']:>6}{r['found']:>7}{r['correct']:>9}"
                f"{r['precision']:>11.3f}{r['recall']:>8.3f}"
            )
        o = report["overall"]
        self.stdout.write(f"overall precision {o['precision']:.3f} recall {o['recall']:.3f}")

    def _print_rows(self, label, rows):
        self.stdout.write(
            f"{label:<14}{'gold':>6}{'found':>7}{'correct':>9}{'precision':>11}{'recall':>8}"
            f"{'F1':>7}"
        )
        for r in rows:
            self.stdout.write(
                f"{r['name']:<14}{r['gold']:>6}{r['found']:>7}{r['correct']:>9}"
                f"{r['precision']:>11.3f}{r['recall']:>8.3f}{r['f1']:>7.3f}"
            )

    def do_brief(self, options):
        import datetime as dt

        from reformtrack.documents import briefs

        try:
            week = dt.date.fromisoformat(options["week"])
        except ValueError as exc:
            raise CommandError(f"--week {options['week']}: not a date (YYYY-MM-DD)") from exc
        output = Path(options["output"])
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in briefs.FORMATS:
            raise CommandError(f"{output}: the file must end in .docx, .pdf or .html")
        user = self.acting_user(options["user"])
        organisation = None
        if options["org"]:
            from reformtrack.orgs.models import Organisation

            scope = Organisation.objects.visible_to(user) if user else Organisation.objects
            organisation = scope.filter(code=options["org"].upper()).first()
            if organisation is None:
                raise CommandError(f"--org {options['org']}: no such organisation in your scope")
        owner = self._owner(user, options["owner"], "change")
        try:
            brief = briefs.build_brief(
                user=user, week=week, organisation=organisation, language=options["language"],
                owner=owner,
            )  # fmt: skip
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        output.write_bytes(briefs.render(brief, fmt))
        summary = {"brief": brief.pk, "file": str(output), "week_start": brief.week_start,
                   "policies": brief.entries.filter(part="policy").count(),
                   "news": brief.entries.filter(part="news").count()}  # fmt: skip
        if options["json"]:
            self.emit_json(summary)
        else:
            self.stdout.write(
                f"{output}: {summary['policies']} policies, {summary['news']} news "
                f"(week of {brief.week_start})"
            )

    def do_orphans(self, options):
        """Files a killed ingestion left without a row (an error or SIGTERM leaves none)."""
        from reformtrack.documents import storage

        referenced = set(Document.objects.values_list("file", flat=True))
        found = storage.orphans(referenced)
        if options["delete"]:
            storage.remove(found)
        if options["json"]:
            self.emit_json({"orphans": found, "deleted": bool(options["delete"])})
            return
        for name in found:
            self.stdout.write(("deleted " if options["delete"] else "") + name)
        if not found:
            self.stdout.write("no orphan files")
