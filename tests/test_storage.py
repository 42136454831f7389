"""Files in the storage (casereview.storage): stored under names that say nothing of the case,
deleted with their rows only once that commits, never left behind by a job that lost its row, and
kept in a private S3 bucket when the environment says so."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import models, transaction

from casereview import jobs
from casereview.storage import StoredFileDamaged, file_bytes, file_store, file_verify, files_clear
from chronology.models import ChronologyUpload
from reports.models import Document, DocumentRender
from tests.conftest import World

ROOT = Path(__file__).resolve().parent.parent


def _render(world: World, content: bytes = b"%PDF-1.7") -> DocumentRender:
    document = Document.objects.get_or_create(review=world.review, kind="overview")[0]
    return DocumentRender.objects.create(
        document=document, format="pdf", fingerprint="f", status="ready", file=ContentFile(content, "any name.pdf")
    )


def test_a_stored_file_is_named_by_its_model_year_and_a_random_part_only(world: World):
    name = file_store(ChronologyUpload, "upload_file", b"Date,Details\n", ext="csv")
    assert re.fullmatch(r"chronology/chronologyupload/\d{4}/[0-9a-f]{32}\.csv", name)
    row = _render(world)
    assert re.fullmatch(r"reports/documentrender/\d{4}/[0-9a-f]{32}\.pdf", row.file.name)
    assert world.review.reference not in row.file.name and "any name" not in row.file.name
    assert file_bytes(row.file) == b"%PDF-1.7"


@pytest.mark.django_db(transaction=True)
def test_a_row_deleted_takes_its_file_only_once_that_commits(world: World):
    row = _render(world)
    storage, name = row.file.storage, row.file.name
    # Rolled back: the row is still there, so is its file.
    with pytest.raises(RuntimeError), transaction.atomic():
        DocumentRender.objects.filter(pk=row.pk).delete()
        raise RuntimeError("undo")
    assert DocumentRender.objects.filter(pk=row.pk).exists() and storage.exists(name)
    # A cascade (the document deleted) that commits: the file goes with the row.
    with transaction.atomic():
        Document.objects.filter(pk=row.document_id).delete()
        assert storage.exists(name)  # not before the commit
    assert not storage.exists(name)


def test_cleared_files_go_on_commit(world: World, django_capture_on_commit_callbacks):
    upload = ChronologyUpload.objects.create(
        imr=world.imr_a, status="ready", parse_file=ContentFile(b"parse", "a.bin"), original_name="a.csv"
    )
    name = upload.parse_file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert files_clear(ChronologyUpload.objects.filter(pk=upload.pk), "upload_file", "parse_file") == 1
    upload.refresh_from_db()
    assert not upload.parse_file and not upload.parse_file.storage.exists(name)


def test_a_job_that_lost_its_row_leaves_no_file_behind(world: World, django_capture_on_commit_callbacks):
    document = Document.objects.create(review=world.review, kind="overview")
    row = DocumentRender.objects.create(document=document, format="pdf", fingerprint="f")
    run = jobs.job_claim(DocumentRender, row.pk)
    assert run is not None
    name = file_store(DocumentRender, "file", b"%PDF-1.7", ext="pdf")
    DocumentRender.objects.filter(pk=row.pk).update(attempt=run.attempt + 1)  # another attempt took it
    with django_capture_on_commit_callbacks(execute=True):
        assert not run.finish(file=name)
    assert not row.file.storage.exists(name)
    row.refresh_from_db()
    assert not row.file


def test_a_changed_file_is_refused(world: World):
    row = _render(world)
    file_verify(row.file, sha256=_sha(b"%PDF-1.7"), size=8)
    with pytest.raises(StoredFileDamaged):
        file_verify(row.file, sha256=_sha(b"other"))
    with pytest.raises(StoredFileDamaged):
        file_bytes(row.file, sha256=_sha(b"other"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _settings_with(**env: str) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.core.files.storage import storages; "
        "s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.default_acl, s.querystring_auth, s.file_overwrite, "
        "s.endpoint_url, s.location)"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "casereview.settings", **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_the_environment_puts_the_files_in_a_private_s3_bucket():
    done = _settings_with(
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="casereview-files",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "S3Storage", "casereview-files", "private", "True", "False", "http://127.0.0.1:9000", "casereview",
    ]  # fmt: skip


def test_s3_without_a_bucket_refuses_to_start_and_says_why():
    done = _settings_with(STORAGE_BACKEND="s3", AWS_STORAGE_BUCKET_NAME="")
    assert done.returncode != 0 and "STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME" in done.stderr


def test_the_backup_check_knows_every_column_that_names_a_stored_file():
    import importlib.util  # noqa: PLC0415

    from django.apps import apps  # noqa: PLC0415

    spec = importlib.util.spec_from_file_location("backup_restore_check", ROOT / "scripts" / "backup_restore_check.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    columns = {
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }
    assert sorted(columns) == script.FILE_COLUMNS
