"""PostgreSQL: scope-first search and list indexes (issue 15; docs/architecture.md, "Scope-first
search and lists").

- The full-text index holds each folded name word three times: as itself (a national search),
  and qualified by the member's organization path cut at depth 2 and at depth 3
  (`q<path[:8]><word>`, `q<path[:12]><word>`), so that a search within a province or a commune
  reads only that scope's entries. The `q` keeps the parser from reading a path such as
  `0001000E0003` as a number in scientific notation.
- The two list indexes cover the list's filter (`INCLUDE`), so that a page is read from the
  index alone: name order first (a large scope: the nation, a province; with the folded names,
  which a search of many matches tests while it walks), or path first (a commune and below:
  its rows, then sorted). Their names stay those of the models' indexes,
  which SQLite keeps as they were.
"""

from django.db import migrations

WORDS = """
CREATE OR REPLACE FUNCTION member_search_words(words text, path text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT words || regexp_replace(
    words, '([a-z0-9]+)', 'q' || left(path, 8) || '\\1 q' || left(path, 12) || '\\1', 'g')
$$
"""

FORWARDS = [
    WORDS,
    "CREATE INDEX member_search_scoped ON people_member USING gin "
    "(to_tsvector('simple', member_search_words(search_text, org_path)))",
    "DROP INDEX IF EXISTS member_search_fts",
    "DROP INDEX member_sort",
    "CREATE INDEX member_sort ON people_member (sort_key, id) INCLUDE (org_path, status, search_text)",
    "DROP INDEX member_org_path",
    "CREATE INDEX member_org_path ON people_member "
    "(org_path varchar_pattern_ops, sort_key, id) INCLUDE (status)",
]

BACKWARDS = [
    "DROP INDEX member_org_path",
    "CREATE INDEX member_org_path ON people_member (org_path varchar_pattern_ops)",
    "DROP INDEX member_sort",
    "CREATE INDEX member_sort ON people_member (sort_key, id)",
    "CREATE INDEX member_search_fts ON people_member USING gin (to_tsvector('simple', search_text))",
    "DROP INDEX member_search_scoped",
    "DROP FUNCTION member_search_words(text, text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0014_encrypted_at_rest")]
    operations = [migrations.RunPython(_run(FORWARDS), _run(BACKWARDS))]
