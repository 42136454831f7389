import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from casereview.storage import file_bytes
from chronology.models import Clarification
from reviews import imr_services, review_services
from reviews.models import AuditEntry, Imr, KeyLineOfEnquiry, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_line(world):
    return KeyLineOfEnquiry.objects.create(review=world.review, position=1, text="What did the agency know?")


SIGNED = {"signing_off_manager": "Det Supt Jane Hale", "signing_off_manager_role": "Head of Public Protection"}


def _ready_to_submit(world, key_line):
    world.question_a.delete()
    imr_services.imr_narrative_save(
        actor=world.author_a, imr=world.imr_a, answers={key_line.pk: "Two call-outs in 2021."}, recommendations=[]
    )


def test_submit_lists_everything_still_missing_and_changes_nothing(world, key_line):
    world.imr_a.entries.all().delete()
    with pytest.raises(ValidationError) as excinfo:
        imr_services.imr_submit(actor=world.author_a, imr=world.imr_a, signing_off_manager=" ")
    assert excinfo.value.message_dict["signing_off_manager"] == ["Enter the name of the manager who signs off the IMR."]
    assert excinfo.value.message_dict["signing_off_manager_role"] == [
        "Enter the signing-off manager's role, for example Head of Safeguarding."
    ]
    assert excinfo.value.message_dict["__all__"] == [
        "The chronology has no entries. Add them, or make a nil return if the agency had no contact.",
        "Answer key line of enquiry 1.",
        "Answer the chair's 1 open question.",
    ]
    world.imr_a.refresh_from_db()
    assert world.imr_a.status == Imr.Status.IN_PROGRESS


def test_submitting_locks_the_imr_and_tells_the_chair(world, key_line, django_capture_on_commit_callbacks):
    _ready_to_submit(world, key_line)
    with django_capture_on_commit_callbacks(execute=True):
        imr_services.imr_submit(actor=world.author_a, imr=world.imr_a, **SIGNED)
    world.imr_a.refresh_from_db()
    assert world.imr_a.status == Imr.Status.SUBMITTED and world.imr_a.submitted_at
    assert [message.to for message in mail.outbox] == [[world.chair.email]]
    assert "Northshire Police has submitted its IMR for NDHR-01" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="imr.submitted", object_id=str(world.imr_a.pk)).count() == 1
    with pytest.raises(ValidationError, match="can no longer be changed"):
        imr_services.imr_narrative_save(actor=world.author_a, imr=world.imr_a, answers={}, recommendations=["x"])


def test_return_asks_questions_on_entries_and_reopens_the_imr_for_the_author(world, django_capture_on_commit_callbacks):
    entry = world.entry_b
    with django_capture_on_commit_callbacks(execute=True):
        imr_services.imr_return(
            actor=world.chair,
            imr=world.imr_b,
            question="Was a DASH form completed?",
            entry_questions={entry.pk: "Who?"},
        )
    world.imr_b.refresh_from_db()
    assert world.imr_b.status == Imr.Status.RETURNED
    questions = list(Clarification.objects.filter(imr=world.imr_b).values_list("entry_id", "question"))
    assert questions == [(None, "Was a DASH form completed?"), (entry.pk, "Who?")]
    assert [message.to for message in mail.outbox] == [[world.author_b.email]]
    assert "2 questions" in mail.outbox[0].body


def test_return_needs_a_question_and_only_this_imrs_entries(world):
    with pytest.raises(ValidationError, match="Ask at least one question"):
        imr_services.imr_return(actor=world.chair, imr=world.imr_b, question=" ", entry_questions={})
    with pytest.raises(ValidationError, match="not in this chronology"):
        imr_services.imr_return(
            actor=world.chair, imr=world.imr_b, question="", entry_questions={world.entry_a.pk: "?"}
        )
    world.imr_b.refresh_from_db()
    assert world.imr_b.status == Imr.Status.SUBMITTED
    assert not Clarification.objects.filter(imr=world.imr_b).exists()


def test_only_a_submitted_imr_can_be_accepted(world):
    with pytest.raises(ValidationError, match="this one is in progress"):
        imr_services.imr_accept(actor=world.chair, imr=world.imr_a)
    imr_services.imr_accept(actor=world.chair, imr=world.imr_b)
    world.imr_b.refresh_from_db()
    assert world.imr_b.status == Imr.Status.ACCEPTED and world.imr_b.accepted_at


def test_the_full_round_trip_return_answer_resubmit_accept(world, key_line):
    _ready_to_submit(world, key_line)
    imr_services.imr_submit(actor=world.author_a, imr=world.imr_a, **SIGNED)
    imr_services.imr_return(actor=world.chair, imr=world.imr_a, question="Who referred?", entry_questions={})
    with pytest.raises(ValidationError, match="Answer the chair's 1 open question"):
        imr_services.imr_submit(actor=world.author_a, imr=world.imr_a, **SIGNED)
    question = world.imr_a.clarifications.get()
    imr_services.clarification_respond(actor=world.author_a, clarification=question, response="The school nurse.")
    imr_services.imr_submit(actor=world.author_a, imr=world.imr_a, **SIGNED)
    imr_services.imr_accept(actor=world.chair, imr=world.imr_a)
    actions = list(
        AuditEntry.objects.filter(review=world.review, action__startswith="imr.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "imr.answer_saved",
        "imr.narrative_saved",
        "imr.submitted",
        "imr.returned",
        "imr.clarification_answered",
        "imr.submitted",
        "imr.accepted",
    ]
    assert Notification.objects.filter(recipient=world.chair).count() == 2


def test_nil_return_needs_a_reason_and_an_empty_chronology(world):
    with pytest.raises(ValidationError, match="has entries"):
        imr_services.imr_nil_return(actor=world.author_a, imr=world.imr_a, reason="No contact.")
    world.imr_a.entries.all().delete()
    with pytest.raises(ValidationError):
        imr_services.imr_nil_return(actor=world.author_a, imr=world.imr_a, reason="  ")
    imr_services.imr_nil_return(actor=world.author_a, imr=world.imr_a, reason="No contact with anyone named.")
    world.imr_a.refresh_from_db()
    assert world.imr_a.status == Imr.Status.NIL_RETURN
    assert world.imr_a.nil_return_reason == "No contact with anyone named."


def test_lateness_says_how_the_imr_stands_against_its_due_date(world):
    import datetime

    from django.utils import timezone

    imr = world.imr_a
    imr.due_date = timezone.localdate() - datetime.timedelta(days=3)
    assert imr.lateness == "Overdue by 3 days"
    imr.due_date = timezone.localdate() + datetime.timedelta(days=1)
    assert imr.lateness == "Due in 1 day"
    imr.status = Imr.Status.SUBMITTED
    imr.submitted_at = timezone.now() + datetime.timedelta(days=3)
    assert imr.lateness == "Submitted 2 days late"


def test_a_new_entry_starts_a_requested_imr(world):
    world.imr_a.status = Imr.Status.REQUESTED
    world.imr_a.save()
    from chronology import services
    from chronology.importers import row_from_cells

    row, issues = row_from_cells({"date": "May 2021", "details": "Referral received", "source": "Log"}, row=1)
    assert issues == []
    services.entry_create(actor=world.author_a, imr=world.imr_a, row=row)
    world.imr_a.refresh_from_db()
    assert world.imr_a.status == Imr.Status.IN_PROGRESS


def test_requesting_an_imr_emails_the_agencys_authors(world, django_capture_on_commit_callbacks):
    from reviews import services
    from tests.factories import AgencyFactory, MembershipFactory, UserFactory

    housing = AgencyFactory(partnership=world.review.partnership, name="Northshire Housing")
    author = MembershipFactory(review=world.review, role="imr_author", agency=housing, user=UserFactory()).user
    with django_capture_on_commit_callbacks(execute=True):
        services.imr_request(actor=world.chair, review=world.review, agency=housing, due_date=None)
    assert [message.to for message in mail.outbox] == [[author.email]]


def test_a_returned_imr_cannot_be_turned_into_a_nil_return(world):
    world.imr_a.entries.all().delete()
    world.imr_a.status = Imr.Status.RETURNED
    world.imr_a.save()
    with pytest.raises(ValidationError, match="answer them and submit it again"):
        imr_services.imr_nil_return(actor=world.author_a, imr=world.imr_a, reason="No contact.")


def test_editing_key_lines_keeps_the_agencies_answers(world, key_line):

    second = KeyLineOfEnquiry.objects.create(review=world.review, position=2, text="What did it do?")
    imr_services.imr_narrative_save(
        actor=world.author_a, imr=world.imr_a, answers={key_line.pk: "Knew of two call-outs."}, recommendations=[]
    )
    review_services.review_update(
        actor=world.chair,
        review=world.review,
        key_lines=["What did it do?", "What did the agency know, and when?", "Was the risk shared?"],
    )
    lines = list(world.review.key_lines.order_by("position").values_list("pk", "text"))
    assert lines[0] == (second.pk, "What did it do?")
    assert lines[1] == (key_line.pk, "What did the agency know, and when?")
    assert world.imr_a.answers.get().key_line_id == key_line.pk
    with pytest.raises(ValidationError, match="answered key line 2; it cannot be removed"):
        review_services.review_update(actor=world.chair, review=world.review, key_lines=["What did it do?"])
    assert world.review.key_lines.count() == 3


def test_a_chairs_stale_imr_edit_does_not_undo_a_submission(world):
    from reviews import services

    stale = Imr.objects.get(pk=world.imr_a.pk)
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.SUBMITTED)
    services.imr_update(actor=world.chair, imr=stale, due_date=None, author=world.author_a, signing_off_manager="X")
    world.imr_a.refresh_from_db()
    assert (world.imr_a.status, world.imr_a.signing_off_manager, world.imr_a.due_date) == ("submitted", "X", None)


def test_submitting_clears_an_upload_left_waiting(world, key_line):
    from chronology import services

    upload = services.upload_request(
        actor=world.author_a,
        imr=world.imr_a,
        data=b"Date,Details,Source\n01/01/2021,x,y\n",
        original_name="c.csv",
        max_bytes=10_000,
    )
    _ready_to_submit(world, key_line)
    imr_services.imr_submit(actor=world.author_a, imr=world.imr_a, **SIGNED)
    upload.refresh_from_db()
    # Submitted before its check ran: the check is cancelled and the file cleared.
    assert (upload.outcome, upload.status, file_bytes(upload.upload_file)) == ("discarded", "cancelled", b"")
