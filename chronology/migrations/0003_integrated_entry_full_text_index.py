"""PostgreSQL's full-text search for the integrated chronology: a stored tsvector column kept
by PostgreSQL itself, with a GIN index, so a search never computes a vector per row. Other
databases search with LIKE and need nothing here; the model does not declare the column."""

from django.db import migrations

COLUMN = "search_vector"
INDEX = "integrated_entry_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE chronology_integratedentry ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(search_text, ''::text))) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON chronology_integratedentry USING gin ({COLUMN})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"ALTER TABLE chronology_integratedentry DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [("chronology", "0002_integratedchronology_gap_chronologyexport_and_more")]

    operations = [migrations.RunPython(create, drop)]
