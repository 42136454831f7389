"""The family reads the draft: the chair invites a family member to read chosen versions of the
overview report and executive summary; they make an account as anyone invited does, read those
versions only (each look audited), comment to the chair alone, until access ends."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from reports import document_services
from reports import services as report_services
from reports.family_models import FamilyComment, FamilyReader, FamilyResponse
from reviews import retention
from reviews.models import AuditEntry, ReviewMembership

NEW_ACCOUNT = {
    "username": "jean",
    "first_name": "Jean",
    "last_name": "Marsh",
    "password1": "a long enough passphrase",
    "password2": "a long enough passphrase",
}


def _save(section, body: str, actor) -> None:
    report_services.section_save(section_id=section.pk, body=body, base_version=section.version, actor=actor)
    section.refresh_from_db()


@pytest.fixture
def drafts(world):
    """Both documents, the overview's first section saved twice: "First draft." then "Second draft."."""
    overview = document_services.document_create(review=world.review, kind="overview", actor=world.chair)
    summary = document_services.document_create(review=world.review, kind="executive_summary", actor=world.chair)
    section = overview.sections.order_by("position").first()
    _save(section, "<p>First draft, about Susan Marsh.</p>", world.chair)
    _save(section, "<p>Second draft.</p>", world.chair)
    _save(summary.sections.order_by("position").first(), "<p>The summary.</p>", world.chair)
    return overview, summary, section


@pytest.fixture
def invite(client, world, drafts, mailoutbox, django_capture_on_commit_callbacks):
    """The chair invites Jean Marsh; returns the path of the emailed link."""

    def send(**data) -> str:
        client.force_login(world.chair)
        form = {
            "name": "Jean Marsh",
            "relationship": "the victim's sister",
            "email": "jean.marsh@example.org",
            "access_until": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "overview_version": "now",
            "executive_summary_version": "now",
            **data,
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:family_reader_invite", args=[world.review.pk]), form)
        assert response.status_code == 302, response.content.decode()[:2000]
        client.logout()
        link = re.search(r"http://\S+/accounts/invitations/(\S+)/", mailoutbox[-1].body).group(0)
        return link.split("127.0.0.1:8000", 1)[1]

    return send


def _accept(path: str) -> tuple[Client, User]:
    reader_client = Client()
    response = reader_client.post(path, NEW_ACCOUNT)
    assert response.url == reverse("mfa_enrol")
    user = User.objects.get(username="jean")
    reader_client.force_login(user)  # and past the second factor, as tests/conftest.py does
    return reader_client, user


def test_the_invited_family_member_reads_the_chosen_version_and_nothing_else(client, world, drafts, invite, mailoutbox):
    overview, _summary, section = drafts
    first = section.revisions.get(version=1)
    path = invite(overview_version=f"saved:{first.pk}")
    assert "read a draft report" in mailoutbox[-1].body and "Adult A" not in mailoutbox[-1].body
    invitation = Invitation.objects.get(email="jean.marsh@example.org")
    assert invitation.purpose == Invitation.Purpose.FAMILY_READER
    reader_client, user = _accept(path)
    assert not ReviewMembership.objects.filter(user=user).exists()
    # Their start is their reading.
    assert reader_client.get(reverse("home")).url == reverse("reports:family_home")
    home = reader_client.get(reverse("reports:family_home")).content.decode()
    reader = FamilyReader.objects.get(invitation=invitation)
    version = reader.versions.get(document=overview)
    assert reverse("reports:family_version", args=[reader.pk, version.pk]) in home
    page = reader_client.get(reverse("reports:family_version", args=[reader.pk, version.pk])).content.decode()
    # The version chosen, from its saved revision: not the text as it stands now.
    assert "First draft, about Susan Marsh." in page and "Second draft." not in page
    # Their pages offer their reading, not the reviews and actions a member of a review has.
    for shown in (home, page):
        assert ">Your reading</a>" in shown and ">My reviews</a>" not in shown and ">My actions</a>" not in shown
    # Anything else of the review: not found.
    for url in (
        reverse("reviews:detail", args=[world.review.pk]),
        reverse("reports:document", args=[world.review.pk, overview.pk]),
        reverse("reports:documents", args=[world.review.pk]),
        reverse("chronology:integrated", args=[world.review.pk]),
        reverse("reviews:audit", args=[world.review.pk]),
        reverse("reports:family_readers", args=[world.review.pk]),
    ):
        assert reader_client.get(url).status_code == 404, url


def test_every_look_by_the_reader_is_on_the_reviews_audit_trail(client, world, drafts, invite):
    reader_client, user = _accept(invite())
    reader = FamilyReader.objects.get()
    url = reverse("reports:family_version", args=[reader.pk, reader.versions.first().pk])
    assert reader_client.get(url).status_code == 200
    assert reader_client.get(url).status_code == 200
    looks = AuditEntry.objects.filter(actor=user, action="family_reader.viewed")
    assert looks.count() == 2
    assert {entry.review_id for entry in looks} == {world.review.pk}
    client.force_login(world.chair)
    assert "family_reader.viewed" in client.get(reverse("reviews:audit", args=[world.review.pk])).content.decode()


def test_the_readers_comments_reach_the_chair_and_no_one_else(client, world, drafts, invite):
    reader_client, user = _accept(invite())
    reader = FamilyReader.objects.get()
    version = reader.versions.get(document=drafts[0])
    comment_url = reverse("reports:family_comment_add", args=[reader.pk, version.pk])
    title = drafts[2].title
    assert reader_client.post(comment_url, {"section": title, "text": "She was called Sue."}).status_code == 302
    assert reader_client.post(comment_url, {"section": "", "text": "Thank you for listening."}).status_code == 302
    # A section not in the version: told, and nothing saved.
    response = reader_client.post(comment_url, {"section": "Not a section", "text": "x"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert list(FamilyComment.objects.values_list("section_title", flat=True)) == [title, ""]
    assert AuditEntry.objects.filter(actor=user, action="family_comment.added").count() == 2
    client.force_login(world.chair)
    page = client.get(reverse("reports:family_readers", args=[world.review.pk])).content.decode()
    assert "She was called Sue." in page and "Thank you for listening." in page
    client.force_login(world.panel)
    assert client.get(reverse("reports:family_readers", args=[world.review.pk])).status_code == 403
    # The panel's own comment threads on the section hold nothing of it.
    page = client.get(reverse("reports:section", args=[world.review.pk, drafts[0].pk, drafts[2].pk])).content.decode()
    assert "She was called Sue." not in page


def test_withdrawn_access_ends_reading_and_says_so(client, world, drafts, invite):
    reader_client, _user = _accept(invite())
    reader = FamilyReader.objects.get()
    version_url = reverse("reports:family_version", args=[reader.pk, reader.versions.first().pk])
    client.force_login(world.chair)
    response = client.post(reverse("reports:family_reader_withdraw", args=[world.review.pk, reader.pk]))
    assert response.status_code == 302
    assert reader_client.get(version_url).status_code == 404
    home = reader_client.get(reverse("reports:family_home"))
    assert home.status_code == 200 and "Your access has ended" in home.content.decode()
    assert AuditEntry.objects.filter(action="family_reader.withdrawn", review=world.review).count() == 1


def test_withdrawing_before_acceptance_withdraws_the_link(client, world, drafts, invite):
    path = invite()
    reader = FamilyReader.objects.get()
    client.force_login(world.chair)
    client.post(reverse("reports:family_reader_withdraw", args=[world.review.pk, reader.pk]))
    page = Client().get(path)
    assert page.status_code == 400
    assert "This invitation was withdrawn. Ask the review's chair" in html.unescape(page.content.decode())


def test_access_ends_after_the_date_the_chair_set(client, world, drafts, invite):
    reader_client, _user = _accept(invite())
    reader = FamilyReader.objects.get()
    # The link never outlives the access it opens.
    assert reader.invitation.expires_at <= reader.ends_at
    FamilyReader.objects.filter(pk=reader.pk).update(access_until=timezone.localdate() - datetime.timedelta(days=1))
    version = reader.versions.first()
    assert reader_client.get(reverse("reports:family_version", args=[reader.pk, version.pk])).status_code == 404
    comment = reader_client.post(reverse("reports:family_comment_add", args=[reader.pk, version.pk]), {"text": "x"})
    assert comment.status_code == 404
    assert "Your access has ended" in reader_client.get(reverse("reports:family_home")).content.decode()


def test_the_invitation_form_names_what_is_wrong_and_saves_nothing(client, world, drafts):
    client.force_login(world.chair)
    url = reverse("reports:family_reader_invite", args=[world.review.pk])
    response = client.post(
        url,
        {
            "name": "Jean Marsh",
            "relationship": "sister",
            "email": "jean@example.org",
            "access_until": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "overview_version": "saved:999999",
            "executive_summary_version": "now",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in text
    response = client.post(
        url,
        {
            "name": "Jean Marsh",
            "relationship": "sister",
            "email": "jean@example.org",
            "access_until": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "overview_version": "now",
            "executive_summary_version": "now",
        },
    )
    assert "The date access ends must be today or later." in response.content.decode()
    assert not FamilyReader.objects.exists() and not Invitation.objects.exists()


def test_the_chair_records_the_familys_response_with_how_the_report_changed(client, world, drafts):
    client.force_login(world.chair)
    url = reverse("reports:family_response_add", args=[world.review.pk])
    response = client.post(url, {"reader": "", "response": "  ", "changes": "Nothing"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not FamilyResponse.objects.exists()
    data = {"reader": "", "response": "They asked that she be called Sue.", "changes": "The report calls her Sue."}
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("reports:family_readers", args=[world.review.pk])).content.decode()
    assert "They asked that she be called Sue." in page and "The report calls her Sue." in page
    assert AuditEntry.objects.filter(action="family_response.recorded", review=world.review).count() == 1


def test_an_archived_review_takes_no_comment(client, world, drafts, invite):
    reader_client, _user = _accept(invite())
    reader = FamilyReader.objects.get()
    version = reader.versions.first()
    retention.review_archive(
        actor=world.board_admin, review=world.review, retain_until=timezone.localdate() + datetime.timedelta(days=365)
    )
    response = reader_client.post(reverse("reports:family_comment_add", args=[reader.pk, version.pk]), {"text": "x"})
    assert response.status_code == 403
    assert not FamilyComment.objects.exists()


def test_purging_the_review_deletes_the_family_readers_comments_and_responses(client, world, drafts, invite):
    reader_client, _user = _accept(invite())
    reader = FamilyReader.objects.get()
    version = reader.versions.first()
    reader_client.post(reverse("reports:family_comment_add", args=[reader.pk, version.pk]), {"text": "Sue."})
    client.force_login(world.chair)
    client.post(reverse("reports:family_response_add", args=[world.review.pk]), {"response": "Call her Sue."})
    assert FamilyComment.objects.exists() and FamilyResponse.objects.exists()
    until = timezone.localdate() + datetime.timedelta(days=1)
    retention.review_archive(actor=world.board_admin, review=world.review, retain_until=until)
    counts = retention.review_purge(
        actor=world.board_admin, review=world.review, today=until + datetime.timedelta(days=1)
    )
    assert counts["family readers"] == 1 and counts["family responses"] == 1
    assert not FamilyComment.objects.exists() and not FamilyReader.objects.exists()
    invited = AuditEntry.objects.get(action="family_reader.invited")
    assert "Jean Marsh" not in invited.object_repr and invited.detail == {"purged": True}
