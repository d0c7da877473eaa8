"""`reformtrack launch --program CODE --org CODE | --designation CODE`: launch a programme down
the tree, as the programme page does (the "programme_launch" job, run here under a progress bar)."""

from django.core.exceptions import PermissionDenied, ValidationError

from reformtrack.core.jobs.cli import run_here, summary, summary_line
from reformtrack.core.management.base import CommandError, ReformtrackCommand
from reformtrack.orgs.models import Organisation

from ...models import Programme


class Command(ReformtrackCommand):
    help = (
        "Launch a programme: '--program CODE --org CODE' (that subtree) or '--program CODE "
        "--designation CODE' (every organisation holding it); tasks already there are kept."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--program", required=True, help="programme code")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--org", help="organisation code: launch to its subtree")
        target.add_argument("--designation", help="designation code (e.g. DOUBLE_HUNDRED)")
        parser.add_argument("--user", help="launch as this user, within their 'manage' scope")

    def handle(self, *args, **options):
        from ...services.programmes import start_title, validate_launch

        programme = Programme.objects.filter(code=options["program"].upper()).first()
        if programme is None:
            raise CommandError(f"No programme has the code {options['program']}.")
        user = self.acting_user(options.get("user"))
        org = None
        if options.get("org"):
            org = Organisation.objects.filter(code=options["org"].upper()).first()
            if org is None:
                raise CommandError(f"No organisation has the code {options['org']}.")
        designation = (options.get("designation") or "").upper()
        try:
            validate_launch(user=user, organisation=org, designation=designation)
        except (PermissionDenied, ValidationError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("; ".join(messages)) from exc
        job = run_here(
            self, "programme_launch", user=user, organisation=org,
            title=start_title(programme=programme, organisation=org, designation=designation),
            function="reformtrack.programs.services.programmes.launch_job",
            kwargs={"programme": programme.pk, "organisation": org.pk if org else None,
                    "designation": designation},
            json_mode=options["json"],
        )  # fmt: skip
        if options["json"]:
            self.emit_json(summary(job))
        else:
            self.stdout.write(summary_line(job))
