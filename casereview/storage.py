"""Every generated or uploaded file is kept in Django's file storage (``STORAGES["default"]``: the
local ``MEDIA_ROOT`` by default, an S3-compatible bucket when ``STORAGE_BACKEND=s3``), and its row
holds only the file's name. This module is the one way to put bytes there and to read them back.

- ``file_path`` names every stored file ``<app>/<model>/<year>/<random>.<ext>``: nothing in a name
  says whose file it is or what case it is from.
- ``file_store`` saves bytes for a row's file field and returns the name to write on the row. Its
  callers run their checks (the publication check, the upload's content check) on the bytes first.
- ``file_bytes`` reads a small file whole; downloads stream through ``casereview.downloads``.
- A file goes when its row goes, or when it is cleared (``files_clear``), and only once the
  transaction that did it commits: a rolled-back delete never loses a file still referred to.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete
from django.utils import timezone

CHUNK = 1 << 20  # read a stored file a megabyte at a time


class StoredFileMissing(Exception):
    """A row names a file the storage does not have."""


class StoredFileDamaged(Exception):
    """A stored file's bytes do not match the SHA-256 (or size) its row recorded."""


def file_path(instance: Any, filename: str) -> str:
    """The ``upload_to`` of every stored file: "reports/documentrender/2026/<32 hex>.pdf". Only
    the model and the kind of file show; ``instance`` may be the row or its model."""
    ext = filename.rsplit(".", 1)[-1] if "." in filename else ""
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:8] or "bin"
    meta = instance._meta
    return f"{meta.app_label}/{meta.model_name}/{timezone.now():%Y}/{uuid.uuid4().hex}.{ext}"


def _field(model: type[models.Model] | models.Model, name: str) -> models.FileField:
    field = model._meta.get_field(name)
    assert isinstance(field, models.FileField), f"{model._meta.label}.{name} is not a file field"
    return field


def file_store(model: type[models.Model] | models.Model, field: str, content: bytes, *, ext: str) -> str:
    """Save ``content`` as a new file of ``model``'s ``field`` and return its name (to write on
    the row, in the same UPDATE that says the row is ready). Never overwrites: every file is new."""
    file_field = _field(model, field)
    name = file_field.generate_filename(model, f"file.{ext}")  # type: ignore[arg-type]  # file_path reads _meta only
    return file_field.storage.save(name, ContentFile(content))


def file_open(file: FieldFile):  # noqa: ANN201 - a File of whichever storage
    """The stored file opened for reading in binary (the caller closes it)."""
    if not file or not file.name:
        raise StoredFileMissing("no file")
    try:
        return file.storage.open(file.name, "rb")
    except FileNotFoundError as exc:
        raise StoredFileMissing(file.name) from exc


def file_bytes(file: FieldFile, *, sha256: str = "") -> bytes:
    """A small stored file's bytes (a logo, an upload to check, a render copied into a pack),
    checked against ``sha256`` when the row keeps one; an empty field reads as b"". Downloads
    never use it: they stream."""
    if not file:
        return b""
    with file_open(file) as handle:
        data = handle.read()
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise StoredFileDamaged(file.name)
    return data


def file_digest(file: FieldFile) -> tuple[str, int]:
    """The SHA-256 and size of a stored file, read a megabyte at a time."""
    digest = hashlib.sha256()
    size = 0
    with file_open(file) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def file_verify(file: FieldFile, *, sha256: str, size: int | None = None) -> None:
    """Refuse a stored file whose bytes are not the ones its row recorded (changed or damaged in
    the storage since it was written)."""
    found, found_size = file_digest(file)
    if found != sha256 or (size is not None and found_size != size):
        raise StoredFileDamaged(file.name)


def file_size(file: FieldFile) -> int:
    """The stored file's size; 0 for an empty field or a file already gone."""
    if not file or not file.name:
        return 0
    try:
        return int(file.storage.size(file.name))
    except (FileNotFoundError, OSError):
        return 0


def files_delete_on_commit(storage: Any, names: Iterable[str], *, using: str | None = None) -> None:
    """Delete the named files once the current transaction commits (at once outside one)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _delete(storage, names), using=using)


def _delete(storage: Any, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def files_clear(rows: models.QuerySet, *fields: str, **also: Any) -> int:
    """Empty ``fields`` on ``rows`` (and set ``also``) in one UPDATE; their files go on commit."""
    model = rows.model
    held = list(rows.values_list(*fields))
    count = rows.update(**dict.fromkeys(fields, ""), **also)
    for index, name in enumerate(fields):
        files_delete_on_commit(_field(model, name).storage, (row[index] for row in held), using=rows.db)
    return count


def _row_deleted(sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any) -> None:
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.FileField):
            files_delete_on_commit(field.storage, [getattr(instance, field.attname).name], using=using)


def files_go_with_rows(model: type[models.Model]) -> None:
    """Delete a row's files when the row is deleted (directly, by a cascade, or a queryset's
    delete), after the transaction commits."""
    post_delete.connect(_row_deleted, sender=model, dispatch_uid=f"files-go-with-{model._meta.label}")
