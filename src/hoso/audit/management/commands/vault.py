"""`hoso vault status`: which key holds how many encrypted values, per column.
`hoso vault rotate`: make a new field key and re-encrypt every value under it.
`hoso vault reseal`: finish an interrupted rotation (re-encrypt what an older key still holds).
Both changes are chained in the audit trail (audit/actions.py)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hoso.audit import actions
from hoso.lib import encrypted, vault


class Command(BaseCommand):
    help = "Field encryption keys: status, rotate (new key, values re-encrypted), reseal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["status", "rotate", "reseal"])

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "status":
            self._status()
            return
        if subcommand == "rotate":
            key_id = actions.rotate_field_key()
            self.stdout.write(f"field key {key_id} made in {vault.directory()}")
        actions.reseal_fields(lambda column, n: self.stdout.write(f"{column}: {n} re-encrypted"))
        self.stdout.write(f"every encrypted value is now under key {vault.newest_id()}")

    def _status(self) -> None:
        keys = vault.ring()
        held: dict[str, int] = dict.fromkeys(keys, 0)
        for field in encrypted.fields():
            census = encrypted.census(field.model._meta.db_table, field.column)
            shown = ", ".join(f"{k or 'plain text'}: {n}" for k, n in sorted(census.items()))
            self.stdout.write(f"{field.context}: {shown or 'no value'}")
            for key_id, count in census.items():
                held[key_id] = held.get(key_id, 0) + count
        newest = vault.newest_id()
        self.stdout.write(f"key directory: {vault.directory()}")
        for key_id, count in held.items():
            if not key_id:
                self.stdout.write(f"  not encrypted: {count} values (run: hoso vault reseal)")
                continue
            if key_id not in keys:
                state = "MISSING from the directory: these values cannot be read"
            elif key_id == newest:
                state = "in use"
            else:
                state = "older key" if count else "older key, holds no value"
            self.stdout.write(f"  {key_id}: {count} values, {state}")
