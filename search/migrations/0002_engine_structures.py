"""What each database needs beyond the tables: PostgreSQL's extensions (unaccent before
pg_trgm), the `cds_vietnamese` text search configuration, the generated tsvector and the GIN
indexes; SQLite's FTS5 table over the folded columns and the triggers that keep it in step."""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'cds_vietnamese') THEN
            CREATE TEXT SEARCH CONFIGURATION cds_vietnamese (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION cds_vietnamese
                ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
                WITH unaccent, simple;
        END IF;
    END $$
    """,
    """
    ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('cds_vietnamese'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('cds_vietnamese'::regconfig, coalesce(text, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX search_entry_document ON search_entry USING gin (document)",
    "CREATE INDEX search_entry_title_trgm ON search_entry USING gin (folded_title gin_trgm_ops)",
    "CREATE INDEX search_term_folded_trgm ON search_term USING gin (folded gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_term_folded_trgm",
    "DROP INDEX IF EXISTS search_entry_title_trgm",
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
]

# unicode61 with remove_diacritics 0: the columns are folded already, and FTS5's own folding
# would be the one that misses đ and double-marked letters.
SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        folded_title, folded_text, content='search_entry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', prefix='2 3'
    )
    """,
    """
    CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts(rowid, folded_title, folded_text)
        VALUES (new.id, new.folded_title, new.folded_text);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, folded_title, folded_text)
        VALUES ('delete', old.id, old.folded_title, old.folded_text);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, folded_title, folded_text)
        VALUES ('delete', old.id, old.folded_title, old.folded_text);
        INSERT INTO search_entry_fts(rowid, folded_title, folded_text)
        VALUES (new.id, new.folded_title, new.folded_text);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("site_search", "0001_index")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
