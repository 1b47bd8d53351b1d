"""The `hoso` console command: Django management with hoso's settings.

`hoso serve`, `hoso migrate`, `hoso synth`, `hoso audit verify`, `hoso demo` ...
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoso.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hoso", *sys.argv[1:]])


if __name__ == "__main__":
    main()
