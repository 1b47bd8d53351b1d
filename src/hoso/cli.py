"""The `hoso` console command: Django management with hoso's settings.

`hoso serve`, `hoso migrate`, `hoso synth`, `hoso audit verify`, `hoso demo` ...
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoso.config.settings")
    from django.core.management import execute_from_command_line

    from hoso.lib import context

    args = sys.argv[1:]
    if args and "-" in args[0] and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")  # `hoso import-members` runs import_members
    with context.acting(channel="command"):  # a command names its actor itself (--as ...)
        execute_from_command_line(["hoso", *args])


if __name__ == "__main__":
    main()
