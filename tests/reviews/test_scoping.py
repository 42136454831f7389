"""The scoping stage: the notification, the agencies' information and the decision whether to
hold a full review, with the statutory clocks fed by their dates and the board's list of decisions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews import clocks, review_services
from reviews import scoping_selectors as selectors
from reviews import scoping_services as services
from reviews.archived import NOT_PROCEEDING_MESSAGE
from reviews.models import AuditEntry, ClockMet, Review
from reviews.scoping_models import ScopingInformation, ScopingRecord
from tests.factories import AgencyFactory, ReviewFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
NOTIFIED = datetime.date(2026, 1, 5)


def _notify(world, review=None, received_on=NOTIFIED):
    return services.scoping_notification_save(
        actor=world.chair,
        review=review or world.review,
        received_on=received_on,
        notified_by="DI Rao",
        notifying_agency=world.agency_a,
        circumstances="A woman was found dead at her home.",
        today=TODAY,
    )


def _decide(world, decision="proceed", decided_on=datetime.date(2026, 1, 20), review=None):
    return services.scoping_decide(
        actor=world.chair,
        review=review or world.review,
        decision=decision,
        decided_on=decided_on,
        reasons="The criteria are met.",
        today=TODAY,
    )


def _field_errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_the_notification_sets_the_reviews_notification_date_and_is_audited(world):
    record = _notify(world)
    world.review.refresh_from_db()
    assert world.review.notification_date == NOTIFIED
    assert record.notifying_agency == world.agency_a
    entry = AuditEntry.objects.get(action="scoping.notification_saved")
    assert entry.review == world.review and entry.detail["received_on"] == [None, "2026-01-05"]
    assert entry.detail["circumstances"] == "changed"  # the text itself stays out of the trail


def test_a_bad_notification_names_each_field_and_saves_nothing(world):
    other_agency = AgencyFactory(name="Southshire Police")  # another partnership's
    with pytest.raises(ValidationError) as excinfo:
        services.scoping_notification_save(
            actor=world.chair,
            review=world.review,
            received_on=TODAY + datetime.timedelta(days=1),
            notified_by="  ",
            notifying_agency=other_agency,
            circumstances="",
            today=TODAY,
        )
    errors = _field_errors(excinfo)
    assert errors["received_on"] == ["The date the notification was received (03/03/2026) is in the future."]
    assert errors["notified_by"] == ["Give who made the notification."]
    assert errors["notifying_agency"] == [
        "Southshire Police is not in Northshire Community Safety Partnership's directory of agencies."
    ]
    assert errors["circumstances"] == ["Give a summary of the circumstances."]
    world.review.refresh_from_db()
    assert world.review.notification_date is None
    assert not ScopingRecord.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="scoping.").exists()


def test_information_received_before_it_was_requested_is_refused_at_its_field(world):
    with pytest.raises(ValidationError) as excinfo:
        services.scoping_information_add(
            actor=world.chair,
            review=world.review,
            agency=world.agency_b,
            requested_on=datetime.date(2026, 1, 10),
            received_on=datetime.date(2026, 1, 8),
            summary="Two contacts.",
            today=TODAY,
        )
    assert _field_errors(excinfo) == {
        "received_on": ["The information cannot be received (08/01/2026) before it was requested (10/01/2026)."]
    }
    assert not ScopingInformation.objects.exists()


def test_information_received_needs_what_the_agency_said(world):
    with pytest.raises(ValidationError) as excinfo:
        services.scoping_information_add(
            actor=world.chair, review=world.review, agency=world.agency_b,
            requested_on=datetime.date(2026, 1, 10), received_on=datetime.date(2026, 1, 12), summary="", today=TODAY,
        )  # fmt: skip
    assert _field_errors(excinfo) == {"summary": ["Give what the agency said."]}


def test_information_is_added_changed_and_removed_with_an_audit_entry_each(world):
    information = services.scoping_information_add(
        actor=world.chair, review=world.review, agency=world.agency_b,
        requested_on=datetime.date(2026, 1, 10), today=TODAY,
    )  # fmt: skip
    services.scoping_information_update(
        actor=world.chair, information=information, agency=world.agency_b, requested_on=datetime.date(2026, 1, 10),
        received_on=datetime.date(2026, 1, 14), summary="Known to the service since 2024.", today=TODAY,
    )  # fmt: skip
    information.refresh_from_db()
    assert information.summary == "Known to the service since 2024."
    services.scoping_information_delete(actor=world.chair, information=information)
    assert not ScopingInformation.objects.exists()
    actions = list(AuditEntry.objects.filter(action__startswith="scoping.").values_list("action", flat=True))
    assert sorted(actions) == [
        "scoping.information_added",
        "scoping.information_deleted",
        "scoping.information_updated",
    ]


def test_a_decision_needs_the_notification_first(world):
    with pytest.raises(ValidationError) as excinfo:
        _decide(world)
    assert _field_errors(excinfo) == {
        "decided_on": ["Record the notification (the date it was received) before the decision."]
    }


def test_a_decision_before_the_notification_or_without_reasons_is_refused(world):
    _notify(world)
    with pytest.raises(ValidationError) as excinfo:
        services.scoping_decide(
            actor=world.chair, review=world.review, decision="maybe", decided_on=datetime.date(2026, 1, 1),
            reasons=" ", today=TODAY,
        )  # fmt: skip
    assert _field_errors(excinfo) == {
        "decision": ["Choose whether to conduct a full review or not."],
        "decided_on": ["The decision (01/01/2026) cannot come before the notification (05/01/2026)."],
        "reasons": ["Give the reasons for the decision."],
    }
    world.review.refresh_from_db()
    assert world.review.decision_date is None and world.review.stage == Review.Stage.SCOPING


def test_a_decision_to_proceed_in_time_meets_the_dhr_decision_milestone(world):
    _notify(world)
    record = _decide(world, decided_on=datetime.date(2026, 1, 20))
    world.review.refresh_from_db()
    assert world.review.decision_date == datetime.date(2026, 1, 20)
    assert record.decided_by == world.chair and record.decided_by_name == world.chair.display_name
    decision = next(m for m in clocks.review_clock(world.review, today=TODAY) if m.key == "decision")
    assert decision.state == "met"
    timeliness = selectors.decision_timeliness(world.review, today=TODAY)
    assert timeliness.in_time is True and timeliness.label == "Within the statutory time"
    entry = AuditEntry.objects.get(action="scoping.decided")
    assert entry.detail["decision"] == ["", "proceed"]


def test_a_late_decision_not_to_proceed_closes_the_review_read_only(world, client):
    _notify(world)
    _decide(world, decision="not_proceeding", decided_on=datetime.date(2026, 2, 20))  # due 5 February
    world.review.refresh_from_db()
    assert world.review.stage == Review.Stage.NOT_PROCEEDING
    milestones = {m.key: m for m in clocks.review_clock(world.review, today=TODAY)}
    assert milestones["decision"].state == "met_late"
    assert milestones["completion"].state == "not_needed"  # no full review, so nothing falls due
    assert clocks.next_deadline(milestones.values()) is None
    assert selectors.decision_timeliness(world.review, today=TODAY).label == "Late: due 05/02/2026"
    with pytest.raises(ValidationError, match="decided not to hold a full review"):
        review_services.review_update(actor=world.chair, review=world.review, case_name="Adult B")
    with pytest.raises(ValidationError) as excinfo:
        _notify(world)
    assert excinfo.value.messages == [NOT_PROCEEDING_MESSAGE]
    client.force_login(world.chair)
    response = client.get(reverse("reviews:edit", args=[world.review.pk]))
    assert response.status_code == 403


def test_a_decision_to_proceed_after_all_opens_the_review_again(world):
    _notify(world)
    _decide(world, decision="not_proceeding")
    _decide(world, decision="proceed", decided_on=datetime.date(2026, 2, 2))
    world.review.refresh_from_db()
    assert world.review.stage == Review.Stage.SCOPING
    review_services.review_update(actor=world.chair, review=world.review, case_name="Adult B")  # open again
    assert AuditEntry.objects.filter(action="scoping.decided").count() == 2


def test_a_rapid_reviews_decision_meets_its_completion_on_the_clock(world):
    review = ReviewFactory(partnership=world.review.partnership, review_type=Review.Type.RAPID)
    _notify(world, review=review)
    _decide(world, review=review, decided_on=datetime.date(2026, 1, 23))
    assert ClockMet.objects.get(review=review, milestone="rapid_review").met_on == datetime.date(2026, 1, 23)
    review.refresh_from_db()
    # 15 working days from Monday 5 January is Monday 26 January.
    assert selectors.decision_timeliness(review, today=TODAY).in_time is True


def test_the_review_form_cannot_close_a_review_without_a_decision(world):
    with pytest.raises(ValidationError) as excinfo:
        review_services.review_update(actor=world.chair, review=world.review, stage=Review.Stage.NOT_PROCEEDING)
    assert "stage" in excinfo.value.message_dict


def test_a_review_without_a_scoping_record_counts_as_proceeding(world):
    assert selectors.decision_status(world.review, None) == selectors.PROCEEDING
    _notify(world)
    assert selectors.decision_status(world.review, ScopingRecord.objects.get()) == selectors.AWAITING


def test_the_board_lists_and_filters_its_decisions(world, client):
    _notify(world)
    _decide(world, decision="not_proceeding", decided_on=datetime.date(2026, 2, 20))
    awaiting = ReviewFactory(partnership=world.review.partnership, reference="NDHR-02")
    _notify(world, review=awaiting)
    ReviewFactory(partnership=world.review.partnership, reference="NDHR-03")  # never notified, never decided
    client.force_login(world.board_admin)
    url = reverse("reviews:decisions", args=[world.review.partnership_id])
    page = client.get(url).content.decode()
    assert "NDHR-01" in page and "NDHR-02" in page and "NDHR-03" not in page
    assert "Not proceeding" in page and "Late: due 05/02/2026" in page
    filtered = client.get(url, {"status": "not_proceeding"}).content.decode()
    assert "NDHR-01" in filtered and "NDHR-02" not in filtered


def test_the_decisions_export_is_a_spreadsheet_safe_csv_and_audited(world, client):
    _notify(world)
    services.scoping_decide(
        actor=world.chair, review=world.review, decision="not_proceeding", decided_on=datetime.date(2026, 1, 20),
        reasons="=HYPERLINK(\"x\") no statutory criteria met", today=TODAY,
    )  # fmt: skip
    client.force_login(world.board_admin)
    response = client.get(reverse("reviews:decisions", args=[world.review.partnership_id]), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("Reference,Case name,Type,Notified")
    assert row.startswith("NDHR-01,Adult A,Domestic Homicide Review,2026-01-05,DI Rao,Not proceeding,2026-01-20")
    assert ",Yes,Within the statutory time," in row
    assert "'=HYPERLINK" in row  # a formula is kept as text
    assert AuditEntry.objects.filter(action="scoping_decisions.exported", actor=world.board_admin).count() == 1


def test_a_bad_date_on_the_page_is_told_at_its_field_and_nothing_is_saved(world, client):
    client.force_login(world.chair)
    response = client.post(
        reverse("reviews:scoping", args=[world.review.pk]),
        {
            "notification-received_on": "2099-01-01",
            "notification-notified_by": "DI Rao",
            "notification-circumstances": "A death.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Date the notification was received: The date the notification was received (01/01/2099) is in the future."
        in (page)
    )
    assert not ScopingRecord.objects.exists()


def test_an_archived_review_refuses_the_decision(world, client):
    _notify(world)
    world.review.archived_at = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    world.review.save(update_fields=["archived_at"])
    client.force_login(world.board_admin)
    response = client.post(
        reverse("reviews:scoping_decide", args=[world.review.pk]),
        {"decision-decision": "proceed", "decision-decided_on": "2026-01-20", "decision-reasons": "Met."},
    )
    assert response.status_code == 403
    world.review.refresh_from_db()
    assert world.review.decision_date is None


def test_a_review_closed_as_not_proceeding_refuses_changes_on_its_pages_and_says_why(world, client):
    _notify(world)
    _decide(world, decision="not_proceeding")
    client.force_login(world.chair)
    person = client.post(
        reverse("reviews:person_create", args=[world.review.pk]),
        {"real_name": "Paul Marsh", "designation": "the brother", "relationship": "family_member"},
    )
    assert person.status_code == 403
    assert "decided not to hold a full review" in person.content.decode()
    notification = client.post(
        reverse("reviews:scoping", args=[world.review.pk]),
        {"notification-received_on": "2026-01-05", "notification-notified_by": "DI Rao",
         "notification-circumstances": "A death."},
    )  # fmt: skip
    assert notification.status_code == 403
    assert not world.review.people.filter(real_name="Paul Marsh").exists()
    page = client.get(reverse("reviews:scoping", args=[world.review.pk])).content.decode()
    assert "this review is closed and read-only" in page
    assert 'name="notification-notified_by"' not in page  # the notification is shown, not offered for change
    assert 'name="decision-decision"' in page  # the decision can be recorded again


def test_the_review_form_does_not_offer_closing_as_not_proceeding(world):
    from reviews.forms import ReviewForm

    values = [value for value, _label in ReviewForm(instance=world.review).fields["stage"].choices]
    assert "not_proceeding" not in values and values[0] == "scoping"
