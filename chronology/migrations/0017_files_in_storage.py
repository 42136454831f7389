"""Uploaded chronologies, what their checks found, and chronology exports keep their bytes in the
file storage (casereview.storage), not in the database: each row's bytes are written to a stored
file, a row at a time, then the columns go."""

from django.db import migrations, models

import casereview.storage
from casereview.storage_migrations import Move, bytes_to_files, files_to_bytes


def _upload_ext(row: dict) -> str:
    name = row["original_name"].lower()
    return "xlsx" if name.endswith(".xlsx") else "csv"


MOVES = [
    Move("chronologyupload", "content", "upload_file", _upload_ext, ("original_name",)),
    Move("chronologyupload", "data", "parse_file", lambda row: "bin"),
    Move("chronologyexport", "data", "file", lambda row: row["format"], ("format",)),
]


def forward(apps, schema_editor) -> None:
    bytes_to_files(apps, "chronology", MOVES)


def backward(apps, schema_editor) -> None:
    files_to_bytes(apps, "chronology", MOVES)


def _file_field() -> models.FileField:
    return models.FileField(blank=True, editable=False, max_length=200, upload_to=casereview.storage.file_path)


class Migration(migrations.Migration):
    dependencies = [
        ("chronology", "0016_entry_vectors_people_and_rest"),
    ]

    operations = [
        migrations.AddField(model_name="chronologyupload", name="upload_file", field=_file_field()),
        migrations.AddField(model_name="chronologyupload", name="parse_file", field=_file_field()),
        migrations.AddField(model_name="chronologyexport", name="file", field=_file_field()),
        migrations.AddField(
            model_name="chronologyupload",
            name="upload_sha256",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(forward, backward, elidable=False),
        migrations.RemoveField(model_name="chronologyupload", name="content"),
        migrations.RemoveField(model_name="chronologyupload", name="data"),
        migrations.RemoveField(model_name="chronologyexport", name="data"),
    ]
