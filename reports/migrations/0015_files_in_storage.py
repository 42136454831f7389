"""Renders, published files and submission packs keep their bytes in the file storage
(casereview.storage), not in the database: each row's bytes are written to a stored file, a row
at a time, then the column goes.

On PostgreSQL the trigger that keeps published files frozen (0011) checks the stored file's name
in place of the bytes: a published file's name, hash, fingerprint and format never change, and its
SHA-256 is checked against the stored bytes whenever it is served."""

from django.db import migrations, models

import casereview.storage
from casereview.storage_migrations import Move, bytes_to_files, files_to_bytes

FILE_TYPES = {"html": "zip", "slides": "pdf"}


def _render_ext(row: dict) -> str:
    return FILE_TYPES.get(row["format"], row["format"])


MOVES = [
    Move("documentrender", "data", "file", _render_ext, ("format",)),
    Move("publishedartefact", "data", "file", _render_ext, ("format",)),
    Move("submissionpack", "data", "file", lambda row: "zip"),
]

FROZEN = """
CREATE OR REPLACE FUNCTION reports_publishedartefact_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'A published file is kept for ever: DELETE of published file % refused.', OLD.id;
    END IF;
    IF NEW.{column} IS DISTINCT FROM OLD.{column} OR NEW.sha256 IS DISTINCT FROM OLD.sha256
        OR NEW.fingerprint IS DISTINCT FROM OLD.fingerprint OR NEW.format IS DISTINCT FROM OLD.format
        OR NEW.filename IS DISTINCT FROM OLD.filename OR NEW.publication_id IS DISTINCT FROM OLD.publication_id THEN
        RAISE EXCEPTION 'A published file is frozen: its bytes, hash, fingerprint and name never change (file %).', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = "ALTER TABLE reports_publishedartefact {action} TRIGGER reports_publishedartefact_frozen"


def _postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def forward(apps, schema_editor) -> None:
    # Naming the new file is allowed by the trigger as it stands (it checks the bytes).
    bytes_to_files(apps, "reports", MOVES)


def backward(apps, schema_editor) -> None:
    if _postgresql(schema_editor):
        schema_editor.execute(TRIGGER.format(action="DISABLE"), params=None)
    files_to_bytes(apps, "reports", MOVES)
    if _postgresql(schema_editor):
        schema_editor.execute(TRIGGER.format(action="ENABLE"), params=None)


def frozen_by_file(apps, schema_editor) -> None:
    if _postgresql(schema_editor):
        schema_editor.execute(FROZEN.format(column="file"), params=None)


def frozen_by_bytes(apps, schema_editor) -> None:
    if _postgresql(schema_editor):
        schema_editor.execute(FROZEN.format(column="data"), params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0014_family_reader"),
    ]

    operations = [
        migrations.AddField(
            model_name="documentrender",
            name="file",
            field=models.FileField(blank=True, editable=False, max_length=200, upload_to=casereview.storage.file_path),
        ),
        migrations.AddField(
            model_name="publishedartefact",
            name="file",
            field=models.FileField(default="", editable=False, max_length=200, upload_to=casereview.storage.file_path),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="submissionpack",
            name="file",
            field=models.FileField(blank=True, editable=False, max_length=200, upload_to=casereview.storage.file_path),
        ),
        migrations.RunPython(forward, backward, elidable=False),
        migrations.RemoveField(model_name="documentrender", name="data"),
        migrations.RemoveField(model_name="publishedartefact", name="data"),
        migrations.RemoveField(model_name="submissionpack", name="data"),
        migrations.RunPython(frozen_by_file, frozen_by_bytes, elidable=False),
    ]
