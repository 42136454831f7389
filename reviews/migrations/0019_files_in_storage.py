"""A partnership's logo keeps its bytes in the file storage (casereview.storage), not in the
database: each logo is written to a stored file, then the column goes. Its SHA-256 stays on the
row (what a rendered file's fingerprint takes in)."""

from django.db import migrations, models

import casereview.storage
from casereview.storage_migrations import Move, bytes_to_files, files_to_bytes

MOVES = [
    Move("partnershiplogo", "data", "file", lambda row: row["content_type"].rsplit("/", 1)[-1], ("content_type",)),
]


def forward(apps, schema_editor) -> None:
    bytes_to_files(apps, "reviews", MOVES)


def backward(apps, schema_editor) -> None:
    files_to_bytes(apps, "reviews", MOVES)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0018_scoping"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnershiplogo",
            name="file",
            field=models.FileField(default="", max_length=200, upload_to=casereview.storage.file_path),
            preserve_default=False,
        ),
        migrations.RunPython(forward, backward, elidable=False),
        migrations.RemoveField(model_name="partnershiplogo", name="data"),
    ]
