"""The `civicplan` console script: the project's manage.py, usable from any folder."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicplan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["civicplan", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
