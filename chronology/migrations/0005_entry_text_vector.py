"""PostgreSQL's full-text search, made once per agency entry rather than once per version.

Turning text into a tsvector is the costliest part of writing a large version (100,000 entries),
and every version of a review copies the same agency entries. So each agency entry keeps its own
vector (a stored column PostgreSQL keeps as the entry is imported or edited), the build copies it
into the version's `entry_vector`, and the searched `search_vector` only adds the agency's name,
a couple of words. A row without a copied vector (written before this migration) is vectorised
from its search text, as before. Other databases search with LIKE and need nothing here; the
models do not declare these columns."""

from django.db import migrations

ENTRY = "chronology_chronologyentry"
INTEGRATED = "chronology_integratedentry"
INDEX = "integrated_entry_search"
# Every searchable field of an agency entry; the agency's name is added by the version's row.
ENTRY_TEXT = (
    "date_display || ' ' || people::text || ' ' || event || ' ' || details || ' ' || outcome || ' ' || comment"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {ENTRY} ADD COLUMN IF NOT EXISTS text_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('english'::regconfig, {ENTRY_TEXT})) STORED"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE {INTEGRATED} DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(f"ALTER TABLE {INTEGRATED} ADD COLUMN IF NOT EXISTS entry_vector tsvector")
    schema_editor.execute(
        f"ALTER TABLE {INTEGRATED} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "to_tsvector('english'::regconfig, agency_name) || "
        "COALESCE(entry_vector, to_tsvector('english'::regconfig, COALESCE(search_text, ''::text)))) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {INTEGRATED} USING gin (search_vector)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE {INTEGRATED} DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(f"ALTER TABLE {INTEGRATED} DROP COLUMN IF EXISTS entry_vector")
    schema_editor.execute(f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS text_vector")
    schema_editor.execute(
        f"ALTER TABLE {INTEGRATED} ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(search_text, ''::text))) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {INTEGRATED} USING gin (search_vector)")


class Migration(migrations.Migration):
    dependencies = [("chronology", "0004_link_fingerprints")]

    operations = [migrations.RunPython(create, drop)]
