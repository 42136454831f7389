"""Stored files that no row names.

A file is stored (casereview.storage.file_store) before the row that names it is saved, so a
transaction that stores a file and then rolls back (a job whose row could not be saved, a request
that failed after keeping an upload) leaves the file behind with nothing pointing at it: no page
offers it and no prune frees it, yet it may hold a review's personal data. ``orphans_prune`` deletes
each such file once it is older than ``PRUNE_ORPHANS_AFTER_HOURS`` (a day unless set), long enough
for any transaction that stored it to have committed or rolled back.

Every stored file lives under its model's folder, ``<app>/<model>/`` (casereview.storage.file_path),
so a folder is compared with the names its model's rows hold in all their file fields (an upload
keeps two). A file under a folder no model of casereview stores in is never touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from casereview.storage import file_path


def stored_file_fields() -> dict[str, list[tuple[type[models.Model], str]]]:
    """Each folder of stored files (``<app>/<model>``) and the file fields whose names are in it."""
    folders: dict[str, list[tuple[type[models.Model], str]]] = defaultdict(list)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.upload_to is file_path:
                folders[f"{model._meta.app_label}/{model._meta.model_name}"].append((model, field.name))
    return dict(folders)


def _named(fields: list[tuple[type[models.Model], str]]) -> set[str]:
    names: set[str] = set()
    for model, name in fields:
        names.update(model._base_manager.exclude(**{name: ""}).values_list(name, flat=True))
    return names


def _walk(storage: Any, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored there yet
        return
    for name in files:
        yield f"{folder}/{name}"
    for inner in folders:
        yield from _walk(storage, f"{folder}/{inner}")


def orphans_find(now: datetime | None = None) -> list[tuple[Any, str, int]]:
    """(storage, name, size) of each stored file no row names, older than the limit."""
    before = (now or timezone.now()) - timedelta(hours=settings.PRUNE_ORPHANS_AFTER_HOURS)
    found = []
    for folder, fields in stored_file_fields().items():
        model, name = fields[0]
        storage = model._meta.get_field(name).storage  # type: ignore[union-attr]
        named = _named(fields)
        for path in _walk(storage, folder):
            if path not in named and storage.get_modified_time(path) < before:
                found.append((storage, path, storage.size(path)))
    return found


def orphans_prune(*, dry_run: bool = False, now: datetime | None = None) -> tuple[int, int]:
    """Delete (or, with ``dry_run``, count) the stored files no row names: how many, how many bytes."""
    found = orphans_find(now)
    if not dry_run:
        for storage, path, _size in found:
            storage.delete(path)
    return len(found), sum(size for _storage, _path, size in found)
