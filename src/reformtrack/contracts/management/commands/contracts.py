"""`reformtrack contracts score --year Y [--org CODE] [--json]` prints each manager's score,
grade, pay coefficient and exit flag; `contracts import FILE [--dry-run]` loads the roster;
`contracts export FILE [--org CODE]` writes it."""

from pathlib import Path

from reformtrack.core.management.base import CommandError, ReformtrackCommand
from reformtrack.core.scoping import can
from reformtrack.orgs.models import Organisation
from reformtrack.orgs.roles import PAY

from ...exporters import roster_xlsx
from ...importers import RosterImporter
from ...models import AnnualResult, Member, TenureResult
from ...selectors import members_for, results_for, score_rows, tenure_results_for, tenure_rows


class Command(ReformtrackCommand):
    help = (
        "People and incentives: 'score --year Y [--org CODE]', 'import FILE', 'export FILE', "
        "'actuals import FILE', 'actuals export FILE --year Y'."
    )
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        score = sub.add_parser("score", help="each manager's score, grade, coefficient, exit flag")
        score.add_argument("--year", required=True, type=int)
        score.add_argument("--org", help="organisation code: its subtree only")
        score.add_argument("--user", help="read as this user, within their scope")
        score.add_argument("--json", action="store_true", help="machine-readable output")
        load = sub.add_parser("import", help="load the roster of managers from an .xlsx file")
        load.add_argument("file")
        load.add_argument("--user", help="act as this user, within their 'change' scope")
        load.add_argument("--dry-run", action="store_true", help="validate and count only")
        load.add_argument("--json", action="store_true", help="machine-readable output")
        out = sub.add_parser("export", help="write the roster of managers to an .xlsx file")
        out.add_argument("file")
        out.add_argument("--org", help="organisation code: its subtree only")
        out.add_argument("--user", help="read as this user, within their scope")
        actuals = sub.add_parser("actuals", help="annual contracts' actual values in Excel")
        act = actuals.add_subparsers(dest="act", required=True)
        act_in = act.add_parser("import", help="load actual values, all or nothing")
        act_in.add_argument("file")
        act_in.add_argument("--user", help="act as this user, within their 'pay' scope")
        act_in.add_argument("--dry-run", action="store_true", help="validate and count only")
        act_in.add_argument("--json", action="store_true", help="machine-readable output")
        act_out = act.add_parser("export", help="write the template with current values")
        act_out.add_argument("file")
        act_out.add_argument("--year", required=True, type=int)
        act_out.add_argument("--org", help="organisation code: its subtree only")
        act_out.add_argument("--user", help="read as this user, within their scope")

    def handle(self, *args, sub, **options):
        return getattr(self, f"do_{sub}")(options)

    def _organisation(self, code, user):
        if not code:
            return None
        org = Organisation.objects.filter(code=code.upper()).first()
        if org is None or (user is not None and not can(user, PAY, org)):
            raise CommandError(f"No organisation has the code {code}.")
        return org

    def do_score(self, options):
        user = self.acting_user(options.get("user"))
        org = self._organisation(options.get("org"), user)
        results = AnnualResult.objects.all() if user is None else results_for(user)
        rows = score_rows(results, year=options["year"], organisation=org)
        tenures = TenureResult.objects.all() if user is None else tenure_results_for(user)
        tenures = tenure_rows(tenures, year=options["year"], organisation=org)
        if options["json"]:
            self.emit_json(
                {
                    "year": options["year"], "organisation": org and org.code, "members": rows,
                    "tenures": tenures,
                }
            )  # fmt: skip
            return
        for r in rows:
            flag = "EXIT " + ",".join(e["code"] for e in r["exit_reasons"]) if r["exit"] else ""
            self.stdout.write(
                f"{r['organisation']:<16}{r['member']}（{r['post']}） {r['score']} "
                f"{r['grade']}/{r['grade_label']} ×{r['coefficient']} {r['status']} {flag}".rstrip()
            )
        for r in tenures:
            self.stdout.write(
                f"{r['organisation']:<16}{r['member']}（{r['post']}） tenure {r['start']}–"
                f"{r['end']} {r['score']} {r['grade']}/{r['grade_label']} "
                f"incentive {r['incentive']} {r['status']}"
            )
        if not rows:
            self.stdout.write(f"No results for {options['year']}.")

    def do_import(self, options):
        user = self.acting_user(options.get("user"))
        result = RosterImporter(user=user).run(options["file"], dry_run=options["dry_run"])
        if options["json"]:
            self.emit_json({**result.as_dict(), "dry_run": result.dry_run})
        elif result.errors:
            for e in result.errors:
                self.stderr.write(f"row {e.row or '-'} · {e.column or '-'}: {e.message}")
        else:
            self.stdout.write(
                f"{result.counts['created']} created, {result.counts['updated']} updated"
            )
        if result.errors:
            raise CommandError(f"{len(result.errors)} error(s); nothing was written.")

    def do_actuals(self, options):
        from ...actuals import ActualsImporter, actuals_xlsx
        from ...models import AnnualContract
        from ...selectors import annuals_for

        user = self.acting_user(options.get("user"))
        if options["act"] == "export":
            org = self._organisation(options.get("org"), user)
            contracts = AnnualContract.objects.all() if user is None else annuals_for(user)
            contracts = contracts.filter(year=options["year"]).select_related(
                "tenure__member__organisation"
            )
            if org is not None:
                contracts = contracts.filter(
                    tenure__member__organisation__path__startswith=org.path
                )
            contracts = contracts.order_by(
                "tenure__member__organisation__path", "tenure__member__name"
            )
            Path(options["file"]).write_bytes(actuals_xlsx(contracts))
            self.stdout.write(f"{contracts.count()} contract(s) written to {options['file']}")
            return
        result = ActualsImporter(user=user).run(options["file"], dry_run=options["dry_run"])
        if options["json"]:
            self.emit_json({**result.as_dict(), "dry_run": result.dry_run})
        elif result.errors:
            for e in result.errors:
                self.stderr.write(f"row {e.row or '-'} · {e.column or '-'}: {e.message}")
        else:
            self.stdout.write(
                f"{result.counts['values']} value(s) in {result.counts['contracts']} contract(s)"
                + (" (dry run: nothing written)" if result.dry_run else "")
            )
        if result.errors:
            raise CommandError(f"{len(result.errors)} error(s); nothing was written.")

    def do_export(self, options):
        user = self.acting_user(options.get("user"))
        org = self._organisation(options.get("org"), user)
        members = (
            Member.objects.select_related("organisation") if user is None else members_for(user)
        )
        if org is not None:
            members = members.filter(organisation__path__startswith=org.path)
        Path(options["file"]).write_bytes(roster_xlsx(members))
        self.stdout.write(f"{members.count()} manager(s) written to {options['file']}")
