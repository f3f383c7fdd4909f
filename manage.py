#!/usr/bin/env python
"""Django's command-line utility for the CĐS platform."""

import os
import sys
from pathlib import Path

# `site/` is a source root (see README): put it on the path before Django starts.
sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
