"""The submission page: the checklist with its evidence, the chair's marks, and the panel's
feedback with its outcome, recorded, audited and listed; bad input is named and nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.submission_models import SubmissionCheckMark, SubmissionFeedback
from reviews.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_chair_records_the_panels_feedback_and_it_is_listed_and_audited(client, world):
    client.force_login(world.chair)
    url = reverse("reports:submission_feedback", args=[world.review.pk])
    response = client.post(
        url, {"outcome": "approved", "received_on": "2026-11-02", "text": "A thorough review.\nPublish it."}
    )
    assert response.status_code == 302
    feedback = SubmissionFeedback.objects.get(review=world.review)
    assert feedback.get_outcome_display() == "Approved for publication" and feedback.recorded_by == world.chair
    entry = AuditEntry.objects.get(action="submission.feedback_recorded")
    assert entry.detail == {"outcome": "approved", "received_on": "2026-11-02"}
    page = client.get(reverse("reports:submission", args=[world.review.pk])).content.decode()
    assert "Approved for publication</span>, received 2 November 2026" in page
    assert "A thorough review.<br>Publish it." in page


def test_feedback_with_a_future_date_and_no_text_is_refused_naming_each_field(client, world):
    client.force_login(world.board_admin)
    url = reverse("reports:submission_feedback", args=[world.review.pk])
    response = client.post(url, {"outcome": "resubmit", "received_on": "2099-01-01", "text": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the panel&#x27;s feedback." in page
    assert not SubmissionFeedback.objects.exists()
    response = client.post(url, {"outcome": "resubmit", "received_on": "2099-01-01", "text": "More on the GP."})
    assert "The date received (01/01/2099) is in the future." in response.content.decode()
    assert not SubmissionFeedback.objects.exists()


def test_the_page_shows_each_items_evidence_and_the_chair_marks_one_left_to_them(client, world):
    client.force_login(world.chair)
    page = client.get(reverse("reports:submission", args=[world.review.pk])).content.decode()
    assert "2 agencies: 0 IMRs accepted, 0 nil returns, 2 outstanding." in page
    assert "Not marked yet" in page
    url = reverse("reports:submission_mark", args=[world.review.pk, "chair_independence"])
    response = client.post(url, {"chair_independence-met": "no", "chair_independence-note": ""})
    assert response.status_code == 400
    assert "Say what is missing: a note is needed when an item is not met." in response.content.decode()
    assert not SubmissionCheckMark.objects.exists()
    client.post(url, {"chair_independence-met": "yes", "chair_independence-note": "Stated in section 9."})
    page = client.get(reverse("reports:submission", args=[world.review.pk])).content.decode()
    assert "Stated in section 9." in page
    assert AuditEntry.objects.filter(action="submission.item_marked", review=world.review).count() == 1


def test_an_unknown_checklist_item_is_not_found(client, world):
    client.force_login(world.chair)
    response = client.post(reverse("reports:submission_mark", args=[world.review.pk, "made-up"]), {})
    assert response.status_code == 404


def test_a_pack_being_made_is_polled_until_it_ends(client, world):
    from reports.submission_models import SubmissionPack

    pack = SubmissionPack.objects.create(review=world.review, requested_by=world.chair)
    client.force_login(world.chair)
    page = client.get(reverse("reports:submission", args=[world.review.pk])).content.decode()
    status_url = reverse("reports:submission_pack_status", args=[world.review.pk, pack.pk])
    assert f'data-job-poll="{status_url}"' in page and "Waiting to start." in page
    polled = client.get(status_url, HTTP_ACCEPT="application/json").json()
    assert polled["active"] is True and "html" not in polled
    SubmissionPack.objects.filter(pk=pack.pk).update(status="failed", error="The overview report could not be made.")
    polled = client.get(status_url, HTTP_ACCEPT="application/json").json()
    assert polled["active"] is False and "Failed: The overview report could not be made." in polled["html"]
    assert "Try again" in polled["html"]
    response = client.post(status_url)
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.status == "queued" and pack.error == ""
    assert AuditEntry.objects.filter(action="submission.pack_retried", review=world.review).count() == 1
