"""Moving file bytes kept in database columns into the file storage (casereview.storage) and back,
for the migrations that made the move. A row at a time is read, so a table of large files never
sits in memory; only the primary keys are listed first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import models

BATCH = 50  # primary keys a query, each row's bytes read on its own


@dataclass(frozen=True)
class Move:
    """``model``'s bytes in column ``column`` go to file field ``field``; ``ext`` says the kind of
    file from the row's other values (named in ``uses``)."""

    model: str
    column: str
    field: str
    ext: Callable[[dict[str, Any]], str]
    uses: tuple[str, ...] = ()


def _batches(pks: list[int]) -> list[list[int]]:
    return [pks[i : i + BATCH] for i in range(0, len(pks), BATCH)]


def bytes_to_files(apps: Any, app_label: str, moves: list[Move]) -> None:
    """Write each row's bytes to a new stored file and name it on the row; empty bytes stay an
    empty field."""
    for move in moves:
        model = apps.get_model(app_label, move.model)
        manager = model._base_manager
        field: models.FileField = model._meta.get_field(move.field)
        pks = list(manager.exclude(**{move.column: b""}).order_by("pk").values_list("pk", flat=True))
        for batch in _batches(pks):
            for pk in batch:
                row = manager.filter(pk=pk).values(move.column, *move.uses).first()
                if row is None or not row[move.column]:
                    continue
                name = field.generate_filename(model, f"file.{move.ext(row)}")
                name = field.storage.save(name, ContentFile(bytes(row[move.column])))
                manager.filter(pk=pk).update(**{move.field: name})


def files_to_bytes(apps: Any, app_label: str, moves: list[Move]) -> None:
    """The way back: each stored file's bytes into the column again. The files are left in the
    storage (a reversal that fails part-way loses nothing); remove them by hand once it is done."""
    for move in moves:
        model = apps.get_model(app_label, move.model)
        manager = model._base_manager
        field: models.FileField = model._meta.get_field(move.field)
        pks = list(manager.exclude(**{move.field: ""}).order_by("pk").values_list("pk", flat=True))
        for batch in _batches(pks):
            for pk, name in manager.filter(pk__in=batch).values_list("pk", move.field):
                with field.storage.open(name, "rb") as handle:
                    manager.filter(pk=pk).update(**{move.column: handle.read()})
