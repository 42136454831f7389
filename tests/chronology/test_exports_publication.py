"""Designations exports of the integrated chronology go through the publication pipeline: every
field of every entry, the people, episode titles and the case name, then the finished file.
What remains blocks the export (the web's job row, the command) naming the entry and field,
until the chair redacts the field or acknowledges the finding. Panel exports say "Contains
personal data"."""

from __future__ import annotations

import datetime
import io
import json
import subprocess
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from casereview.storage import file_bytes
from chronology.exports.build import export_chronology_data
from chronology.exports.services import export_request, render_export
from chronology.integrated.rows import entry_fingerprint
from chronology.models import ChronologyEntry, ChronologyExport, IntegratedChronology
from reviews.models import Imr, PublicationDecision, Review
from reviews.publication import PublicationBlocked, fold_key, text_hash
from tests.chronology.integrated_world import build
from tests.factories import EntryFactory, PersonFactory

pytestmark = pytest.mark.django_db

FORMATS = ["json", "csv", "xlsx", "pdf"]
# A registered surname, a date of birth as GP systems write it, and a forename with a soft
# hyphen in it (stored before text was normalised on save: the factory writes it as it is).
DETAILS = "Grimes seen at home, DOB 14-Mar-1990. Pe\u00adter said he was fine."
NAMES = ("Grimes", "Peter", "Pe\u00adter", "14-Mar-1990")


@pytest.fixture
def entry(world) -> ChronologyEntry:
    PersonFactory(
        review=world.review, real_name="Peter Grimes", designation="the victim",
        date_of_birth=datetime.date(1990, 3, 14),
    )  # fmt: skip
    entry = EntryFactory(
        imr=world.imr_a, date_start=datetime.date(2011, 5, 3), date_end=datetime.date(2011, 5, 3),
        date_display="3 May 2011", people=["Peter Grimes"], details=DETAILS,
    )  # fmt: skip
    Imr.objects.filter(pk__in=[world.imr_a.pk, world.imr_b.pk]).update(status=Imr.Status.ACCEPTED)
    return entry


def decide(world, entry: ChronologyEntry, kind: str, *, field: str = "details", term: str = "", occurrence: int = 0):
    """The chair's decision on one field of the agency entry, kept as the pipeline keeps it."""
    fingerprint = entry_fingerprint(entry.imr.agency_id, entry.date_start, entry.date_end, entry.precision,
                                    entry.details)  # fmt: skip
    return PublicationDecision.objects.create(
        review=world.review, kind=kind, scope=f"entry:{fingerprint}:{field}", text_hash=text_hash(entry.details),
        term_key=fold_key(term) if term else "", occurrence=occurrence, reason="Decided in a test",
        decided_by=world.chair,
    )  # fmt: skip


def file_text(fmt: str, data: bytes, tmp_path) -> str:
    """Everything a reader of the file can see."""
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as workbook:
            return " ".join(workbook.read(name).decode() for name in workbook.namelist() if name.endswith(".xml"))
    if fmt == "pdf":
        path = tmp_path / "export.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return data.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_entry_holding_a_surname_a_date_of_birth_and_a_soft_hyphened_forename_blocks_the_export(world, entry, fmt):
    chronology = build(world.review)

    with pytest.raises(PublicationBlocked) as blocked:
        render_export(chronology, fmt=fmt, names="designations")

    message = str(blocked.value)
    assert "entry #1 (Northshire Police, May 2011), details: surname of the victim" in message
    assert "entry #1 (Northshire Police, May 2011), details: date of birth of the victim" in message
    assert "entry #1 (Northshire Police, May 2011), details: forename of the victim" in message
    assert [(f.kind, f.where.scope.rsplit(":", 1)[-1]) for f in blocked.value.findings] == [
        ("surname", "details"), ("date of birth", "details"), ("forename", "details"),
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_once_the_chair_redacts_the_field_every_format_passes_with_redacted_and_no_name_in_the_file(
    world, entry, fmt, tmp_path
):
    decide(world, entry, "redact")
    chronology = build(world.review)

    text = file_text(fmt, render_export(chronology, fmt=fmt, names="designations"), tmp_path)

    assert "[Redacted]" in text
    assert "the victim" in text  # the people list, by designation
    for name in NAMES:
        assert name not in text, f"{name} in the {fmt} file"
    assert "1990" not in text


def test_the_web_export_fails_with_its_findings_by_entry_and_field_and_keeps_no_file(
    world, entry, client, django_capture_on_commit_callbacks
):
    chronology = build(world.review)
    client.force_login(world.chair)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("chronology:export", args=[world.review.pk, chronology.version]),
                               {"fmt": "csv", "names": "designations"})  # fmt: skip

    assert response.status_code == 302
    export = chronology.exports.get()
    assert export.status == ChronologyExport.Status.FAILED
    assert export.error.startswith("Publication blocked, personal data found: entry #1 (Northshire Police, May 2011)")
    assert "details: surname of the victim" in export.error
    assert "details: date of birth of the victim" in export.error
    assert file_bytes(export.file) == b""
    page = client.get(response["Location"]).content.decode()
    assert "Failed: Publication blocked, personal data found: entry #1 (Northshire Police, May 2011), details" in page


def test_the_web_export_passes_once_the_field_is_redacted(world, entry, django_capture_on_commit_callbacks):
    decide(world, entry, "redact")
    chronology = build(world.review)

    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(actor=world.chair, chronology=chronology, fmt="json", names="designations")

    export.refresh_from_db()
    assert export.status == ChronologyExport.Status.READY
    [published] = [e for e in json.loads(file_bytes(export.file))["entries"] if e["seq"] == 1]
    assert (published["details"], published["people"]) == ("[Redacted]", ["the victim"])


def test_the_command_says_what_blocked_it_on_one_line_exits_non_zero_and_writes_nothing(world, entry, tmp_path):
    build(world.review)
    output = tmp_path / "chronology.csv"

    with pytest.raises(CommandError) as refused:
        call_command("export_chronology", "NDHR-01", "--format", "csv", "--output", str(output))

    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("NDHR-01: Publication blocked, personal data found: entry #1 (Northshire Police")
    assert "details: surname of the victim" in message
    assert message.endswith(f"Nothing was written to {output}.")
    assert not output.exists()
    assert list(tmp_path.iterdir()) == []  # no half-written file beside it either


def test_run_from_the_shell_the_blocked_command_prints_the_reason_on_stderr_and_exits_1(world, entry, tmp_path, capsys):
    from chronology.management.commands.export_chronology import Command

    build(world.review)
    output = tmp_path / "chronology.json"

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "export_chronology", "NDHR-01", "--format", "json", "--output",
                                 str(output)])  # fmt: skip

    assert exited.value.code == 1
    stderr = capsys.readouterr().err
    assert "Publication blocked" in stderr and "entry #1 (Northshire Police, May 2011), details" in stderr
    assert not output.exists()


def test_a_redaction_holds_across_a_rebuild_and_lapses_when_the_agency_changes_the_text(world, entry):
    decide(world, entry, "redact")
    build(world.review)
    rebuilt = build(world.review)
    assert rebuilt.version == 2
    assert "[Redacted]" in render_export(rebuilt, fmt="json", names="designations").decode()

    ChronologyEntry.objects.filter(pk=entry.pk).update(details=DETAILS + " Seen again later.")
    changed = build(world.review)

    with pytest.raises(PublicationBlocked, match=r"entry #1 \(Northshire Police, May 2011\), details"):
        render_export(changed, fmt="json", names="designations")


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_acknowledged_finding_passes_into_the_file(world, fmt, tmp_path):
    PersonFactory(review=world.review, real_name="Will Hope", designation="the perpetrator")
    entry = EntryFactory(imr=world.imr_a, details="Hope House refuge took the family in.")
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.ACCEPTED)
    chronology = build(world.review)
    with pytest.raises(PublicationBlocked, match="details: surname of the perpetrator"):
        render_export(chronology, fmt=fmt, names="designations")

    decide(world, entry, "acknowledge", term="Hope||House", occurrence=1)  # the word and its neighbours

    assert "Hope House refuge" in file_text(fmt, render_export(chronology, fmt=fmt, names="designations"), tmp_path)


def test_the_people_list_episode_titles_and_the_case_name_go_through_the_pipeline(world, entry):
    from chronology.integrated.services import episode_add

    decide(world, entry, "redact")
    episode_add(actor=world.chair, review=world.review, title="Peter Grimes moves in", start=entry.date_start,
                end=entry.date_end)  # fmt: skip
    chronology = build(world.review)

    data = json.loads(render_export(chronology, fmt="json", names="designations"))
    assert data["episodes"][0]["title"] == "The victim moves in"
    assert data["entries"][0]["people"] == ["the victim"]

    episode_add(actor=world.chair, review=world.review, title="When Grimes left", start=entry.date_start,
                end=entry.date_end)  # fmt: skip
    with pytest.raises(PublicationBlocked, match=r"key episode \d, title: surname of the victim"):
        render_export(chronology, fmt="json", names="designations")
    world.review.episodes.filter(title="When Grimes left").delete()

    Review.objects.filter(pk=world.review.pk).update(case_name="Peter")
    chronology = IntegratedChronology.objects.get(pk=chronology.pk)
    with pytest.raises(PublicationBlocked, match="case name: forename of the victim"):
        render_export(chronology, fmt="csv", names="designations")


def test_the_finished_file_is_checked_as_well(world, entry):
    """The partnership's name is not an entry's text: only the check of the PDF itself finds it."""
    decide(world, entry, "redact")
    world.review.partnership.name = "Grimes Vale Safeguarding Partnership"
    world.review.partnership.save()
    chronology = build(world.review)

    with pytest.raises(PublicationBlocked, match=r"PDF file, PDF page 1: surname of the victim"):
        render_export(chronology, fmt="pdf", names="designations")


def test_a_panel_export_with_real_names_is_the_text_as_written_and_says_contains_personal_data(world, entry, tmp_path):
    chronology = build(world.review)

    data = json.loads(render_export(chronology, fmt="json", names="real"))
    assert data["entries"][0]["details"] == DETAILS
    assert data["marking"] == "OFFICIAL-SENSITIVE, Contains personal data"
    workbook = file_text("xlsx", render_export(chronology, fmt="xlsx", names="real"), tmp_path)
    assert "Contains personal data" in workbook and "Grimes" in workbook
    pdf = file_text("pdf", render_export(chronology, fmt="pdf", names="real"), tmp_path)
    assert all("Contains personal data" in page for page in pdf.split("\f")[:-1])
    csv_export = ChronologyExport(chronology=chronology, format="csv", names="real")
    assert csv_export.filename == "NDHR-01-integrated-chronology-v1-real-names-contains-personal-data.csv"
    assert "Grimes" in render_export(chronology, fmt="csv", names="real").decode("utf-8-sig")


def test_the_marking_follows_the_one_rule_before_and_after_publication(world, entry, tmp_path):
    """OFFICIAL-SENSITIVE until the review is published, and always with real names; a published
    review's designations export is public and carries no marking (reviews.labels)."""
    chronology = build(world.review)
    decide(world, entry, "redact")
    assert export_chronology_data(chronology, names="designations").marking == "OFFICIAL-SENSITIVE"
    assert export_chronology_data(chronology, names="real").marking == "OFFICIAL-SENSITIVE"

    Review.objects.filter(pk=world.review.pk).update(stage=Review.Stage.PUBLISHED)
    chronology.review.refresh_from_db()
    assert export_chronology_data(chronology, names="real").marking == "OFFICIAL-SENSITIVE"
    assert export_chronology_data(chronology, names="designations").marking == ""
    data = json.loads(render_export(chronology, fmt="json", names="real"))
    assert data["marking"] == "OFFICIAL-SENSITIVE, Contains personal data"
    pdf = file_text("pdf", render_export(chronology, fmt="pdf", names="designations"), tmp_path)
    assert "OFFICIAL" not in pdf and "Contains personal data" not in pdf
