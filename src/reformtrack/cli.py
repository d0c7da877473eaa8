"""The `reformtrack` console script: Django's management commands behind one name.

`reformtrack --help` lists the product's own commands by domain (`--all` adds Django's), and
a closed pipe (`reformtrack docs search … | head`) ends the command quietly.
"""

import os
import sys
from pathlib import Path

# The product's commands by domain, in the order a newcomer meets them (app label → title).
DOMAINS = [
    ("core", "System: database, demo, serving, jobs, audit, backup, tokens"),
    ("orgs", "Organisations and accounts"),
    ("programs", "Programmes and ledgers"),
    ("assessments", "Assessments"),
    ("kpis", "KPIs and statements"),
    ("contracts", "People and incentives"),
    ("chains", "Industrial chains and innovation channels"),
    ("documents", "Policies and news"),
]
ALSO_SHOWN = {"core": ["migrate"]}  # Django's own, needed by every installation
HELP_FLAGS = {"-h", "--help", "help"}


def command_help(app: str, name: str) -> str:
    """A command's `help` read from its source, so listing commands imports none of them (some
    load heavy libraries such as openpyxl or jieba)."""
    import ast
    import importlib.util

    if app == "django.core":
        return "Create or upgrade the database."
    spec = importlib.util.find_spec(f"{app}.management.commands.{name}")
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "Command":
            for item in node.body:
                if isinstance(item, ast.Assign) and any(
                    getattr(t, "id", "") == "help" for t in item.targets
                ):
                    try:
                        return str(ast.literal_eval(item.value)).strip()
                    except ValueError:
                        return ""
    return ""


def product_help() -> str:
    """The grouped listing; each line is the command's own one-line help."""
    import django
    from django.core.management import get_commands

    django.setup()
    commands = get_commands()
    lines = ["Usage: reformtrack COMMAND [options]   (reformtrack COMMAND --help for one)", ""]
    for label, title in DOMAINS:
        app = f"reformtrack.{label}"
        names = sorted(n for n, owner in commands.items() if owner == app)
        names = ALSO_SHOWN.get(label, []) + names
        if not names:
            continue
        lines.append(f"{title}:")
        for name in names:
            text = command_help(commands[name], name)
            lines.append(f"  {name:<14} {text.splitlines()[0] if text else ''}")
        lines.append("")
    lines.append("Django's own commands: reformtrack --help --all")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reformtrack.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "reformtrack"
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads the settings once, to report them plainly
    except ImproperlyConfigured as exc:
        sys.stderr.write(
            f"reformtrack is not configured: {exc}\n"
            "Run `make run` once (it keeps a generated key in var/secret.key), or set SECRET_KEY "
            "(and DEBUG=true for development).\n"
        )
        sys.exit(2)
    try:
        if len(args) == 1 or (set(args[1:]) <= HELP_FLAGS and "--all" not in args):
            print(product_help())
            return
        if "--all" in args and set(args[1:]) <= HELP_FLAGS | {"--all"}:
            args = ["reformtrack", "help"]
        from django.core.management import execute_from_command_line

        execute_from_command_line(args)
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing more, exit as `head` expects.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
