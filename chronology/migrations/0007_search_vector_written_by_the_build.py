"""The build copies a version's entries inside the database (chronology.integrated.build.entries_copy)
and writes the searched vector itself: the agency's name joined to the agency entry's own vector
(migration 0005). A version's row no longer keeps a second copy of that vector (`entry_vector`).

Less for the database to do for each of a large version's rows:
- no full-text index: every search is within one version, whose rows lie together and are read
  by the (chronology, seq) index; on 100,000 entries a common word was no faster with the index;
- no check of each entry and link against its version and agency, and no index of either: the
  build alone writes these rows, and Django's cascade deletes them with their version.
Rows already written keep their vector."""

import django.db.models.deletion
from django.db import migrations, models

INTEGRATED = "chronology_integratedentry"
INDEX = "integrated_entry_search"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE {INTEGRATED} ALTER COLUMN search_vector DROP EXPRESSION")
    schema_editor.execute(f"ALTER TABLE {INTEGRATED} DROP COLUMN entry_vector")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {INTEGRATED} ADD COLUMN entry_vector tsvector")
    schema_editor.execute(f"ALTER TABLE {INTEGRATED} DROP COLUMN search_vector")
    schema_editor.execute(
        f"ALTER TABLE {INTEGRATED} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "to_tsvector('english'::regconfig, agency_name) || "
        "COALESCE(entry_vector, to_tsvector('english'::regconfig, COALESCE(search_text, ''::text)))) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {INTEGRATED} USING gin (search_vector)")


def delete_orphans(apps, schema_editor):
    """Before the constraints come back (going backwards): rows whose version is gone."""
    versions = apps.get_model("chronology", "IntegratedChronology").objects.values("pk")
    for name in ("IntegratedEntry", "SuggestedLink"):
        apps.get_model("chronology", name).objects.exclude(chronology_id__in=versions).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('chronology', '0006_integrated_entry_one_index'),
        ('reviews', '0005_review_retention'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name='integratedentry',
            name='agency',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reviews.agency'),
        ),
        migrations.AlterField(
            model_name='integratedentry',
            name='chronology',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='chronology.integratedchronology'),
        ),
        migrations.AlterField(
            model_name='suggestedlink',
            name='chronology',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='links', to='chronology.integratedchronology'),
        ),
        migrations.RunPython(migrations.RunPython.noop, delete_orphans),
    ]
