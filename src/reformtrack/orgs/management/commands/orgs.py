"""`reformtrack orgs list|show`: the organisation tree from the command line."""

from reformtrack.core.management.base import CommandError, ReformtrackCommand

from ... import selectors
from ...filtersets import OrganisationFilterSet
from ...models import Organisation


class Command(ReformtrackCommand):
    help = "Organisations: 'list' (code, names, parent code, level, designations) or 'show CODE'."
    json_option = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        listing = sub.add_parser("list", help="list organisations")
        listing.add_argument("--json", action="store_true", help="machine-readable output")
        listing.add_argument("--user", help="only what this user may see")
        listing.add_argument("--kind", choices=["supervisor", "group", "subsidiary"])
        listing.add_argument("--within", metavar="CODE", help="only this organisation's subtree")
        listing.add_argument("--designation", metavar="KIND", help="e.g. DOUBLE_HUNDRED")
        show = sub.add_parser("show", help="one organisation")
        show.add_argument("code")
        show.add_argument("--json", action="store_true")

    def handle(self, *args, sub, **options):
        if sub == "show":
            return self.show(options["code"], options["json"])
        queryset = self.scoped(options.get("user"))
        params = {k: options[k] for k in ("kind", "within", "designation") if options.get(k)}
        filterset = OrganisationFilterSet(params, queryset=queryset)
        if not filterset.is_valid():
            raise CommandError(filterset.errors.as_text())
        records = list(selectors.organisation_records(filterset.qs))
        if options["json"]:
            self.emit_json(records)
            return
        for r in records:
            indent = "  " * (r["level"] if r["kind"] != "supervisor" else 0)
            tags = f"  [{', '.join(r['designations'])}]" if r["designations"] else ""
            self.stdout.write(f"{indent}{r['code']:<20} {r['name_zh']}  ({r['kind']}){tags}")

    def scoped(self, username):
        user = self.acting_user(username)
        if user is None:
            return selectors.all_organisations()
        return selectors.organisation_list(user)

    def show(self, code, as_json):
        org = Organisation.objects.filter(code=code.upper()).first()
        if org is None:
            raise CommandError(f"No organisation has the code {code}.")
        queryset = selectors.all_organisations().filter(pk=org.pk)
        record = next(selectors.organisation_records(queryset))
        record["children"] = list(
            Organisation.objects.get_children(org).values_list("code", flat=True)
        )
        if as_json:
            self.emit_json(record)
            return
        for key, value in record.items():
            self.stdout.write(f"{key:<14} {value}")
