"""The `reformtrack` console script: Django's management commands behind one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reformtrack.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "reformtrack"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
