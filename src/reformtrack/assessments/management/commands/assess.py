"""`reformtrack assess results|rectify|report`: campaign results, gaps into rectification tasks,
evaluation reports as Word or PDF."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path

from django.core.exceptions import ValidationError

from reformtrack.core.context import Actor, acting
from reformtrack.core.management.base import CommandError, ReformtrackCommand

from ...choices import CampaignStatus
from ...importers import ResultImporter
from ...models import Assessment, Campaign
from ...reports import assessment_report, campaign_report
from ...selectors import results
from ...services.rectification import rectify


class Command(ReformtrackCommand):
    help = (
        "Assessments: 'results [--campaign CODE] [--json]', 'rectify --campaign CODE --org CODE "
        "[--indicator CODE…] [--owner NAME] [--deadline YYYY-MM-DD]', 'report --campaign CODE "
        "[--org CODE] --format docx|pdf -o FILE', 'import FILE --campaign CODE [--dry-run]'."
    )
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        res = sub.add_parser("results", help="each enterprise's score and rating")
        res.add_argument("--campaign", help="campaign code (default: every published campaign)")
        res.add_argument("--user", help="only what this user may see")
        res.add_argument("--json", action="store_true", help="machine-readable output")
        rect = sub.add_parser("rectify", help="turn an assessment's gaps into ledger tasks")
        rect.add_argument("--campaign", required=True)
        rect.add_argument("--org", required=True, help="the assessed enterprise's code")
        rect.add_argument("--indicator", action="append", help="a gap's indicator (repeatable)")
        rect.add_argument("--owner", default="")
        rect.add_argument("--department", default="")
        rect.add_argument("--deadline", type=dt.date.fromisoformat)
        rect.add_argument("--user", help="act as this user, within their 'change' scope")
        rect.add_argument("--json", action="store_true", help="machine-readable output")
        imp = sub.add_parser("import", help="final results from Excel (all rows or none)")
        imp.add_argument("file", help=".xlsx with 组织代码/Organisation code, 得分, 评级 …")
        imp.add_argument("--campaign", required=True)
        imp.add_argument("--user", help="act as this user, within their 'approve' scope")
        imp.add_argument("--dry-run", action="store_true", help="validate and count only")
        imp.add_argument("--json", action="store_true", help="machine-readable output")
        rep = sub.add_parser("report", help="an enterprise's report or the campaign summary")
        rep.add_argument("--campaign", required=True)
        rep.add_argument("--org", help="the enterprise (default: the campaign summary)")
        rep.add_argument("--format", choices=["docx", "pdf"], default="docx")
        rep.add_argument("-o", "--output", required=True)
        rep.add_argument("--user", help="only what this user may see")

    def handle(self, *args, sub, **options):
        user = self.acting_user(options.get("user"))
        with acting(Actor(fixed_user=user)) if user is not None else nullcontext():
            try:
                getattr(self, f"do_{sub}")(user, options)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc

    def campaigns(self, user):
        rows = Campaign.objects.all() if user is None else Campaign.objects.visible_to(user)
        return rows.select_related("rule_set")

    def campaign(self, user, code):
        campaign = self.campaigns(user).filter(code=code.upper()).first()
        if campaign is None:
            raise CommandError(f"No campaign has the code {code}.")
        return campaign

    def assessments(self, user, campaign):
        rows = Assessment.objects.filter(campaign=campaign).select_related("organisation")
        return rows if user is None else rows.visible_to(user)

    def do_results(self, user, options):
        if options.get("campaign"):
            chosen = [self.campaign(user, options["campaign"])]
        else:
            chosen = list(self.campaigns(user).filter(status=CampaignStatus.PUBLISHED))
        data = []
        for campaign in chosen:
            rows = results(campaign, self.assessments(user, campaign))
            data.append({
                "campaign": campaign.code, "name": campaign.name_zh, "year": campaign.year,
                "status": campaign.status,
                "results": [{"rank": r.rank, "organisation": r.assessment.organisation.code,
                             "name": r.name, "score": r.score, "rating": r.rating,
                             "rating_label": r.rating_label} for r in rows],
            })  # fmt: skip
        if options["json"]:
            self.emit_json(data)
            return
        for block in data:
            self.stdout.write(f"{block['campaign']} {block['name']}")
            for r in block["results"]:
                self.stdout.write(f"  {r['rank']:>3}  {r['score'] or '-':>7}  "
                                  f"{r['rating_label']:<4}  {r['name']}")  # fmt: skip

    def do_rectify(self, user, options):
        campaign = self.campaign(user, options["campaign"])
        assessment = (
            self.assessments(user, campaign)
            .filter(organisation__code=options["org"].upper())
            .first()
        )
        if assessment is None:
            raise CommandError(f"{options['org']} is not assessed in {campaign.code}.")
        made = rectify(user=user, assessment=assessment, indicator_codes=options["indicator"],
                       owner=options["owner"], department=options["department"],
                       deadline=options["deadline"])  # fmt: skip
        rows = [{"indicator": r.indicator.code, "task": r.task.code, "points_lost": r.points_lost}
                for r in made]  # fmt: skip
        if options["json"]:
            self.emit_json(rows)
        else:
            for row in rows:
                self.stdout.write(f"{row['indicator']} → {row['task']}")
            self.stdout.write(f"{len(rows)} rectification task(s) created")

    def do_import(self, user, options):
        campaign = self.campaign(user, options["campaign"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as handle:
            result = ResultImporter(user=user, campaign=campaign).run(
                handle, dry_run=options["dry_run"]
            )
        if options["json"]:
            self.emit_json({**result.as_dict(), "dry_run": result.dry_run})
        for error in [] if options["json"] else result.errors:
            row = "-" if error.row is None else error.row
            self.stderr.write(f"  row {row}  {error.column or '-'}: {error.message}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} problem(s) in {path}; nothing was written.")
        if not options["json"]:
            note = " (dry run: nothing written)" if result.dry_run else ""
            self.stdout.write(f"{campaign.code}: {result.counts['recorded']} recorded{note}")

    def do_report(self, user, options):
        campaign = self.campaign(user, options["campaign"])
        if options.get("org"):
            assessment = (
                self.assessments(user, campaign)
                .filter(organisation__code=options["org"].upper())
                .first()
            )
            if assessment is None:
                raise CommandError(f"{options['org']} is not assessed in {campaign.code}.")
            data = assessment_report(assessment, options["format"])
        else:
            data = campaign_report(campaign, self.assessments(user, campaign), options["format"])
        path = Path(options["output"])
        path.write_bytes(data)
        self.stdout.write(f"{path}: {len(data)} bytes")
