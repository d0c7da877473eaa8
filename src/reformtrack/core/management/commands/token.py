"""`reformtrack token create|list|revoke`: API tokens from the command line (the operator)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from ...models import ApiToken
from ...selectors.tokens import tokens_of
from ...services import tokens as token_services
from ..base import CommandError, ReformtrackCommand


class Command(ReformtrackCommand):
    help = (
        "API tokens. `token create USER [--name NAME] [--days N]` prints the new token once "
        "(only its hash is kept); `token list USER`; `token revoke ID`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="a new token for USER, printed once")
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        create.add_argument("--days", type=int, default=None, help="default: API_TOKEN_DAYS")
        listing = sub.add_parser("list", help="USER's tokens (never their secrets)")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="stop a token at once")
        revoke.add_argument("token_id", type=int)
        for parser_ in (create, listing, revoke):
            super().add_arguments(parser_)

    def handle(self, *args, subcommand, **opts):
        getattr(self, f"do_{subcommand}")(**opts)

    def user(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username}.")
        return user

    def do_create(self, *, username, name, days, json, **_opts):
        try:
            token, secret = token_services.create_token(
                user=self.user(username), name=name, days=days
            )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        if json:
            self.emit_json({**self.row(token), "token": secret})
            return
        self.stdout.write(secret)
        self.stderr.write(
            f"Token {token.pk} '{token.name}' for {username}, valid until "
            f"{token.expires_at:%Y-%m-%d}. It is shown only now."
        )

    def do_list(self, *, username, json, **_opts):
        rows = [self.row(t) for t in tokens_of(self.user(username))]
        if json:
            self.emit_json(rows)
            return
        for row in rows:
            self.stdout.write(
                f"{row['id']:>5}  {row['state']:<8} {row['starts_with']}…  "
                f"{row['expires_at']:%Y-%m-%d}  {row['name']}"
            )

    def do_revoke(self, *, token_id, json, **_opts):
        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"No token {token_id}.")
        token = token_services.revoke_token(token=token)
        if json:
            self.emit_json(self.row(token))
            return
        self.stdout.write(f"Token {token.pk} revoked.")

    @staticmethod
    def row(token):
        state = "revoked" if token.revoked_at else ("active" if token.is_active else "expired")
        return {
            "id": token.pk,
            "user": token.user.username,
            "name": token.name,
            "starts_with": token.prefix,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
            "last_used_at": token.last_used_at,
            "state": state,
        }
