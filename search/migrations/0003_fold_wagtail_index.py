"""Wagtail's FTS5 index on SQLite holds folded text: its triggers pass what they copy through
`cds_fold` (registered on every connection by this app), and what is indexed already is copied
again. FTS5's own folding misses đ and letters with two marks."""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"


def _triggers(wrap: str) -> list[str]:
    def value(column):
        return f"{wrap}(NEW.{column})" if wrap else f"NEW.{column}"

    return [
        f"DROP TRIGGER IF EXISTS insert_{TABLE}_fts",
        f"DROP TRIGGER IF EXISTS update_{TABLE}_fts",
        f"""CREATE TRIGGER insert_{TABLE}_fts AFTER INSERT ON {TABLE} BEGIN
            INSERT INTO {TABLE}_fts(title, body, autocomplete, rowid)
            VALUES ({value("title")}, {value("body")}, {value("autocomplete")}, NEW.id);
        END""",
        f"""CREATE TRIGGER update_{TABLE}_fts AFTER UPDATE ON {TABLE} BEGIN
            UPDATE {TABLE}_fts SET title = {value("title")}, body = {value("body")},
                autocomplete = {value("autocomplete")} WHERE rowid = NEW.id;
        END""",
    ]


def _copy(wrap: str) -> list[str]:
    def value(column):
        return f"{wrap}({column})" if wrap else column

    return [
        f"DELETE FROM {TABLE}_fts",
        f"""INSERT INTO {TABLE}_fts(title, body, autocomplete, rowid)
            SELECT {value("title")}, {value("body")}, {value("autocomplete")}, id FROM {TABLE}""",
    ]


FOLDED = _triggers("cds_fold") + _copy("cds_fold")
PLAIN = _triggers("") + _copy("")


def _run(script):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [f"{TABLE}_fts"]
            )
            if cursor.fetchone() is None:
                return  # no FTS5: Wagtail uses its fallback backend
            for statement in script:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("site_search", "0002_engine_structures"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(_run(FOLDED), _run(PLAIN))]
