"""`reformtrack createuser`: an account with an administrator role or business roles."""

import getpass

from django.core.exceptions import ValidationError
from django.db import transaction

from reformtrack.core.management.base import CommandError, ReformtrackCommand
from reformtrack.core.models import AdminRole
from reformtrack.core.security.otp import base32_secret
from reformtrack.core.services.users import create_user, issue_second_factor

from ... import services
from ...choices import Role
from ...models import Organisation


class Command(ReformtrackCommand):
    help = (
        "Create an account. Business roles: --role ROLE@ORGCODE (repeatable; roles: "
        + ", ".join(Role.values)
        + "). Administrators: --admin-role system|security|audit (a TOTP key is printed)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("--password", help="prompted for when omitted")
        parser.add_argument("--display-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--admin-role", choices=[r for r in AdminRole.values if r], default="")
        parser.add_argument("--role", action="append", default=[], metavar="ROLE@ORGCODE")

    def handle(self, *args, username, password, display_name, email, admin_role, role, **opts):
        if admin_role and role:
            raise CommandError("An administrator may hold no business role (三员分立).")
        grants = [self.parse_grant(spec) for spec in role]
        if password is None:
            try:
                password = getpass.getpass("Password: ")
            except EOFError:  # no terminal to ask on (a script, a pipe)
                raise CommandError(
                    "No password given: run in a terminal or pass --password."
                ) from None
        try:
            with transaction.atomic():
                user = create_user(
                    username=username, password=password, display_name=display_name,
                    email=email, admin_role=admin_role,
                )  # fmt: skip
                for role_name, org in grants:
                    services.grant_role(user=user, organisation=org, role=role_name)
                secret = base32_secret(issue_second_factor(user=user)) if admin_role else None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        result = {
            "username": user.username,
            "admin_role": admin_role or None,
            "roles": [f"{r}@{o.code}" for r, o in grants],
            "otp_secret": secret,
        }
        if opts["json"]:
            self.emit_json(result)
            return
        self.stdout.write(self.style.SUCCESS(f"Created {user.username}."))
        if secret:
            self.stdout.write(f"TOTP key for the authenticator app: {secret}")

    def parse_grant(self, spec: str):
        role_name, _sep, code = spec.partition("@")
        if role_name not in Role.values or not code:
            raise CommandError(f"--role {spec}: use ROLE@ORGCODE with ROLE one of {Role.values}.")
        org = Organisation.objects.filter(code=code.upper()).first()
        if org is None:
            raise CommandError(f"--role {spec}: no organisation has the code {code}.")
        return role_name, org
