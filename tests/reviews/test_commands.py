import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from reviews.models import AuditEntry, Imr, Partnership, Person, Review

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_review_opens_a_review_in_the_only_partnership():
    output = _call(
        "create_review",
        "CSPR-2026-01",
        "--type",
        "cspr",
        "--title",
        "Child A",
        "--scope-start",
        "01/01/2024",
        "--scope-end",
        "2025-03-31",
    )
    review = Review.objects.get(reference="CSPR-2026-01")
    assert "Opened review CSPR-2026-01" in output
    assert (review.review_type, review.case_name, str(review.scope_start), str(review.scope_end)) == (
        "cspr",
        "Child A",
        "2024-01-01",
        "2025-03-31",
    )
    assert review.partnership.kind == Partnership.Kind.CHILDREN
    assert AuditEntry.objects.filter(action="review.created", review=review).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--type", "inquest"], '--type: "inquest" is not a review type'),
        (["--scope-start", "2025-01-01", "--scope-end", "2024-01-01"], "ends (01/01/2024) before it starts"),
        (["--scope-start", "31/02/2024"], '--scope-start: "31/02/2024" is not a date'),
        (["--reference", "DHR-1"], 'already has a review with reference "DHR-1"'),
    ],
)
def test_create_review_rejects_bad_input_and_writes_nothing(args, message):
    _call(
        "create_review",
        "DHR-1",
        "--type",
        "dhr",
        "--title",
        "A",
        "--scope-start",
        "2024-01-01",
        "--scope-end",
        "2024-12-31",
    )
    options = {"--type": "dhr", "--title": "Adult B", "--scope-start": "2024-01-01", "--scope-end": "2024-12-31"}
    reference = "DHR-2"
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag == "--reference":
            reference = value
        else:
            options[flag] = value
    before = (Review.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("create_review", reference, *[item for pair in options.items() for item in pair])
    assert (Review.objects.count(), AuditEntry.objects.count()) == before


def test_add_person_adds_to_the_register_with_aliases_and_rejects_duplicates():
    _call(
        "create_review",
        "DHR-1",
        "--type",
        "dhr",
        "--title",
        "A",
        "--scope-start",
        "2024-01-01",
        "--scope-end",
        "2024-12-31",
    )
    _call(
        "add_person",
        "DHR-1",
        "Susan Marsh",
        "--designation",
        "the victim's mother",
        "--alias",
        "Sue Marsh",
        "--alias",
        "Susan Jones",
        "--dob",
        "1961-05-02",
        "--relationship",
        "family member",
    )
    person = Person.objects.get()
    assert person.aliases == ["Sue Marsh", "Susan Jones"]
    assert person.relationship == "family_member"
    with pytest.raises(CommandError, match="already in this review's person register"):
        call_command("add_person", "dhr-1", "susan marsh", "--designation", "Mrs M")
    with pytest.raises(CommandError, match='no review with reference "DHR-9"'):
        call_command("add_person", "DHR-9", "Paul Marsh", "--designation", "the brother")
    assert Person.objects.count() == 1


@pytest.mark.slow
def test_command_errors_are_one_line_on_stderr_with_a_non_zero_exit(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    for args in (
        [
            "create_review",
            "X",
            "--type",
            "inquest",
            "--title",
            "T",
            "--scope-start",
            "2024-01-01",
            "--scope-end",
            "2024-02-01",
        ],
        ["create_review", "X", "--type", "dhr", "--title", "T", "--scope-start", "2024-01-01"],
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode != 0
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert (
        "inquest"
        in subprocess.run(
            [
                sys.executable,
                "manage.py",
                "create_review",
                "X",
                "--type",
                "inquest",
                "--title",
                "T",
                "--scope-start",
                "2024-01-01",
                "--scope-end",
                "2024-02-01",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        ).stderr
    )


def test_load_demo_builds_the_seed_reviews_and_is_safe_to_run_again():
    _call("load_demo")
    _call("load_demo")
    dhr = Review.objects.get(reference="BDHR2012/13-04")
    assert dhr.review_type == "dhr" and dhr.partnership.name == "Birmingham Community Safety Partnership"
    assert dhr.people.get(designation="the victim's mother").real_name == "Susan Marsh"
    assert dhr.imrs.count() == 9 and dhr.key_lines.count() == 11
    assert Review.objects.filter(reference="BPSCR-FamilyB", review_type="scr").count() == 1
    for username in ("chair", "panel", "police", "socialcare", "boardadmin", "owner"):
        assert User.objects.get(username=username).check_password("casereview-demo")


def test_demo_police_author_sees_their_imr_and_the_social_care_imr_is_a_404():
    _call("load_demo")
    dhr = Review.objects.get(reference="BDHR2012/13-04")
    police_imr = Imr.objects.get(review=dhr, agency__name="West Midlands Police")
    social_care_imr = Imr.objects.get(review=dhr, agency__kind="childrens_social_care")
    client = Client()
    client.force_login(User.objects.get(username="police"))
    overview = client.get(reverse("reviews:detail", args=[dhr.pk])).content.decode()
    assert "West Midlands Police" in overview and "Children, Young People and Families" not in overview
    assert client.get(reverse("reviews:imr_detail", args=[dhr.pk, police_imr.pk])).status_code == 200
    assert client.get(reverse("reviews:imr_detail", args=[dhr.pk, social_care_imr.pk])).status_code == 404
    family_b = Review.objects.get(reference="BPSCR-FamilyB")
    assert client.get(reverse("reviews:detail", args=[family_b.pk])).status_code == 404
