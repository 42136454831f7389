"""PostgreSQL's full-text index for the integrated chronology search. The expression is the
one Django's SearchVector("search_text", config="english") produces, so the planner uses it;
other databases search with LIKE and need nothing here."""

from django.db import migrations

INDEX = "integrated_entry_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON chronology_integratedentry "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(search_text, ''::text)))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("chronology", "0002_integratedchronology_gap_chronologyexport_and_more")]

    operations = [migrations.RunPython(create_index, drop_index)]
