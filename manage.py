#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn_portal.settings")
    from django.core.management import execute_from_command_line

    subcommand = sys.argv[1] if len(sys.argv) > 1 else ""
    if subcommand in ("runserver", "help", "") or subcommand.startswith("-"):
        execute_from_command_line(sys.argv)
        return

    # Changes made by a command (an import, the shell) are attributed to it in the audit
    # history; actions a command runs for a user add the user inside this context.
    import django

    django.setup()
    import pghistory

    with pghistory.context(process=f"manage.py {subcommand}"):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
