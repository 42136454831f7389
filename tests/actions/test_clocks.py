import datetime

import pytest
from django.core.exceptions import ValidationError

from casereview.months import add_months
from reviews import clocks
from reviews.models import AuditEntry, Review
from tests.conftest import World

D = datetime.date


def test_working_days_skip_good_friday_and_easter_monday():
    # Thursday 2 April 2026; Good Friday is 3 April and Easter Monday 6 April.
    assert clocks.add_working_days(D(2026, 4, 2), 5) == D(2026, 4, 13)


def test_working_days_skip_christmas_and_the_substitute_boxing_day():
    # Boxing Day 2026 is a Saturday, so Monday 28 December is the bank holiday.
    assert clocks.add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)


def test_working_days_skip_weekends():
    assert clocks.add_working_days(D(2026, 6, 12), 1) == D(2026, 6, 15)  # Friday to Monday


def test_a_month_after_the_thirty_first_is_the_last_day_of_a_shorter_month():
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)


def test_every_review_type_has_its_clock_configured():
    assert set(clocks.CLOCKS) == set(Review.Type.values)
    assert [rule.key for rule in clocks.rules_for("cspr")] == ["notification", "publication"]
    rapid = clocks.rule_get("rapid", "rapid_review")
    assert (rapid.amount, rapid.unit, rapid.starts_from) == (15, "working_days", "notification_date")


def test_a_dhr_decision_within_a_month_is_met_and_completion_runs_six_months(world: World):
    review = world.review
    review.notification_date, review.decision_date = D(2026, 1, 5), D(2026, 1, 30)
    review.save()
    decision, completion = clocks.review_clock(review, today=D(2026, 3, 1))
    assert (decision.due, decision.met_on, decision.state) == (D(2026, 2, 5), D(2026, 1, 30), "met")
    assert (completion.due, completion.state, completion.days_left) == (D(2026, 7, 30), "due", 151)


def test_an_unmet_milestone_past_its_due_date_is_overdue(world: World):
    Review.objects.filter(pk=world.review.pk).update(notification_date=D(2026, 1, 5))
    world.review.refresh_from_db()
    decision, completion = clocks.review_clock(world.review, today=D(2026, 2, 6))
    assert decision.state == "overdue"
    assert completion.state == "not_started"
    assert clocks.next_deadline([decision, completion]) == decision


def test_an_agreed_extension_moves_the_due_date_and_keeps_its_reason(world: World):
    Review.objects.filter(pk=world.review.pk).update(notification_date=D(2026, 1, 5))
    world.review.refresh_from_db()
    clocks.clock_extension_add(
        actor=world.chair,
        review=world.review,
        milestone="decision",
        due_date=D(2026, 3, 31),
        reason="Waiting for the coroner.",
        today=D(2026, 2, 1),
    )
    decision = clocks.review_clock(world.review, today=D(2026, 3, 1))[0]
    assert (decision.statutory_due, decision.due, decision.state) == (D(2026, 2, 5), D(2026, 3, 31), "due")
    assert decision.extensions[0].reason == "Waiting for the coroner."
    assert decision.extensions[0].agreed_by == world.chair
    assert AuditEntry.objects.filter(action="clock.extended", review=world.review).exists()


def test_an_extension_must_end_after_the_current_due_date_and_give_a_reason(world: World):
    Review.objects.filter(pk=world.review.pk).update(notification_date=D(2026, 1, 5))
    world.review.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        clocks.clock_extension_add(
            actor=world.chair,
            review=world.review,
            milestone="decision",
            due_date=D(2026, 2, 1),
            reason=" ",
            today=D(2026, 2, 1),
        )
    assert caught.value.message_dict == {
        "due_date": ["An extension must end after the current due date (05/02/2026); 01/02/2026 does not."],
        "reason": ["Say why the extension was agreed."],
    }
    assert not world.review.clock_extensions.exists()


def test_a_milestone_of_another_review_type_is_refused(world: World):
    with pytest.raises(ValidationError, match="not a milestone of a Domestic Homicide Review"):
        clocks.clock_extension_add(
            actor=world.chair,
            review=world.review,
            milestone="rapid_review",
            due_date=D(2026, 2, 1),
            reason="x",
            today=D(2026, 2, 1),
        )


def test_completion_is_met_by_the_date_recorded_on_the_clock(world: World):
    Review.objects.filter(pk=world.review.pk).update(notification_date=D(2026, 1, 5), decision_date=D(2026, 1, 20))
    world.review.refresh_from_db()
    clocks.clock_met_record(actor=world.chair, review=world.review, milestone="completion", met_on=D(2026, 8, 1))
    completion = clocks.review_clock(world.review, today=D(2026, 9, 1))[1]
    assert (completion.due, completion.met_on, completion.state) == (D(2026, 7, 20), D(2026, 8, 1), "met_late")


def test_a_milestone_met_by_a_review_date_cannot_be_recorded_on_the_clock(world: World):
    with pytest.raises(ValidationError) as caught:
        clocks.clock_met_record(actor=world.chair, review=world.review, milestone="decision", met_on=D(2026, 1, 1))
    assert caught.value.message_dict["milestone"] == [
        '"Decision to hold a review" is met by the review\'s decision to review: edit the review.'
    ]


def test_cspr_notification_is_due_five_working_days_after_the_incident(world: World):
    review = world.review
    review.review_type, review.incident_date = "cspr", D(2026, 4, 2)
    notification, publication = clocks.review_clock(review, today=D(2026, 4, 20), extensions=[], met=[])
    assert notification.due == D(2026, 4, 13)
    assert notification.state == "overdue"
    assert publication.state == "not_started"
