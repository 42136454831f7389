"""Evidence files and the board's action plan exports keep their bytes in the file storage
(casereview.storage), not in the database: each row's bytes are written to a stored file, a row
at a time, then the column goes. Evidence keeps its size and SHA-256, checked when it is served."""

from django.db import migrations, models

import casereview.storage
from casereview.storage_migrations import Move, bytes_to_files, files_to_bytes

MOVES = [
    Move("evidence", "data", "file", lambda row: row["kind"], ("kind",)),
    Move("boardplanexport", "data", "file", lambda row: row["format"], ("format",)),
]


def forward(apps, schema_editor) -> None:
    bytes_to_files(apps, "actions", MOVES)


def backward(apps, schema_editor) -> None:
    files_to_bytes(apps, "actions", MOVES)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0003_board_export_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="file",
            field=models.FileField(default="", editable=False, max_length=200, upload_to=casereview.storage.file_path),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="boardplanexport",
            name="file",
            field=models.FileField(blank=True, editable=False, max_length=200, upload_to=casereview.storage.file_path),
        ),
        migrations.RunPython(forward, backward, elidable=False),
        migrations.RemoveField(model_name="evidence", name="data"),
        migrations.RemoveField(model_name="boardplanexport", name="data"),
    ]
