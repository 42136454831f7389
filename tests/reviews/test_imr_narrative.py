"""The IMR narrative as a document: key lines asked of chosen agencies, each answer rich text
saved with versions (a stale save refused with both texts), kept as revisions with a history,
the plain-text answers of before turned into paragraphs, submission confirmed with the
signing-off manager, and a resubmitted IMR showing the chair what changed since its return."""

from __future__ import annotations

import importlib
import json

import pytest
from django.urls import reverse

from reviews import imr_narrative_services, imr_services
from reviews.imr_narrative_services import StaleAnswer
from reviews.models import AuditEntry, Imr, ImrAnswer, ImrAnswerRevision, KeyLineOfEnquiry

pytestmark = pytest.mark.django_db

SIGNED = {"signing_off_manager": "Det Supt Jane Hale", "signing_off_manager_role": "Head of Public Protection"}
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def lines(world):
    everyone = KeyLineOfEnquiry.objects.create(review=world.review, position=1, text="What did the agency know?")
    police = KeyLineOfEnquiry.objects.create(
        review=world.review, position=2, text="Northshire Police: how was the risk assessed?"
    )
    police.agencies.set([world.agency_a])
    social_care = KeyLineOfEnquiry.objects.create(
        review=world.review, position=3, text="Children's Social Care: was a strategy meeting held?"
    )
    social_care.agencies.set([world.agency_b])
    return everyone, police, social_care


def save_url(world, imr, line):
    return reverse("reviews:imr_answer_save", args=[world.review.pk, imr.pk, line.pk])


# --- key lines per agency ---


def test_each_agency_is_asked_only_its_own_lines_and_the_ones_for_everyone(world, lines):
    everyone, police, social_care = lines
    asked_a = list(imr_narrative_services.key_lines_for_agency(world.review.pk, world.agency_a.pk))
    asked_b = list(imr_narrative_services.key_lines_for_agency(world.review.pk, world.agency_b.pk))
    assert asked_a == [everyone, police]
    assert asked_b == [everyone, social_care]


def test_the_author_sees_and_answers_only_their_agencys_lines(client, world, lines):
    everyone, police, social_care = lines
    client.force_login(world.author_a)
    page = client.get(reverse("reviews:imr_narrative", args=[world.review.pk, world.imr_a.pk])).content.decode()
    assert "how was the risk assessed?" in page
    assert "strategy meeting" not in page
    assert save_url(world, world.imr_a, social_care) not in page
    # Another agency's line under this IMR does not exist, to save or to read the history of.
    response = client.post(save_url(world, world.imr_a, social_care), {"body": "x", "base_version": "0"})
    assert response.status_code == 404
    history = reverse("reviews:imr_answer_history", args=[world.review.pk, world.imr_a.pk, social_care.pk])
    assert client.get(history).status_code == 404
    assert not ImrAnswer.objects.filter(key_line=social_care).exists()
    detail = client.get(reverse("reviews:imr_detail", args=[world.review.pk, world.imr_a.pk])).content.decode()
    overview = client.get(reverse("reviews:detail", args=[world.review.pk])).content.decode()
    assert "strategy meeting" not in detail and "strategy meeting" not in overview
    assert "how was the risk assessed?" in overview


def test_the_other_agency_never_sees_the_police_line(client, world, lines):
    client.force_login(world.author_b)
    pages = [
        client.get(reverse("reviews:detail", args=[world.review.pk])),
        client.get(reverse("reviews:imr_detail", args=[world.review.pk, world.imr_b.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        assert "how was the risk assessed?" not in response.content.decode()


def test_the_panel_sees_each_imrs_answers_to_its_own_lines(client, world, lines):
    everyone, police, social_care = lines
    ImrAnswer.objects.create(imr=world.imr_b, key_line=social_care, text="<p>Yes, on <em>3 May</em>.</p>")
    client.force_login(world.panel)
    page = client.get(reverse("reviews:imr_detail", args=[world.review.pk, world.imr_b.pk])).content.decode()
    assert "Yes, on <em>3 May</em>." in page
    assert "strategy meeting" in page and "how was the risk assessed?" not in page
    overview = client.get(reverse("reviews:detail", args=[world.review.pk])).content.decode()
    assert "(asked of Northshire Police)" in overview and "(asked of every agency)" in overview


def test_submission_asks_only_for_the_agencys_own_lines(world, lines):
    everyone, police, social_care = lines
    world.question_a.delete()
    imr_services.imr_narrative_save(
        actor=world.author_a, imr=world.imr_a, answers={everyone.pk: "Two call-outs."}, recommendations=[]
    )
    with pytest.raises(Exception, match="Answer key line of enquiry 2."):
        imr_services.imr_submit(actor=world.author_a, imr=world.imr_a, **SIGNED)
    imr_services.imr_narrative_save(
        actor=world.author_a, imr=world.imr_a, answers={police.pk: "By DASH."}, recommendations=[]
    )
    imr_services.imr_submit(actor=world.author_a, imr=world.imr_a, **SIGNED)  # line 3 is not theirs
    world.imr_a.refresh_from_db()
    assert world.imr_a.status == Imr.Status.SUBMITTED


def test_the_chair_addresses_key_lines_to_agencies(client, world, lines):
    everyone, police, social_care = lines
    url = reverse("reviews:key_lines_address", args=[world.review.pk])
    client.force_login(world.chair)
    page = client.get(url).content.decode()
    assert "Northshire Police" in page and "Tick none to ask every agency" in page
    response = client.post(
        url, {f"line_{everyone.pk}": [str(world.agency_b.pk)], f"line_{social_care.pk}": [str(world.agency_b.pk)]}
    )
    assert response.status_code == 302
    assert list(everyone.agencies.all()) == [world.agency_b]
    assert list(police.agencies.all()) == []  # none ticked: every agency
    entry = AuditEntry.objects.get(action="review.key_lines_addressed")
    assert entry.detail["key_lines"]["1"] == [["Northshire Children's Social Care"]]
    assert entry.detail["key_lines"]["2"] == [["All agencies"]]
    # An agency from another board's directory is refused at the line's field.
    from tests.factories import AgencyFactory

    stranger = AgencyFactory(partnership=world.other_review.partnership)
    response = client.post(url, {f"line_{police.pk}": [str(stranger.pk)]})
    assert response.status_code == 400
    assert list(police.agencies.all()) == []


# --- answers: rich text, versions, conflicts, revisions ---


def test_an_answer_is_saved_sanitised_as_a_new_version_with_its_revision(client, world, lines):
    everyone = lines[0]
    client.force_login(world.author_a)
    body = '<p>Knew of <strong>two</strong> call-outs<script>alert(1)</script> <a href="javascript:x">here</a>.</p>'
    response = client.post(
        save_url(world, world.imr_a, everyone),
        {"body": body, "base_version": "0", "autosave": "1", "save_id": "a1b2c3d4-save"},
        **JSON,
    )
    assert response.status_code == 200
    assert response.json()["version"] == 1
    answer = ImrAnswer.objects.get(imr=world.imr_a, key_line=everyone)
    assert answer.text == '<p>Knew of <strong>two</strong> call-outs <a rel="noopener noreferrer">here</a>.</p>'
    revision = answer.revisions.get()
    assert (revision.version, revision.autosave, revision.author, revision.save_id) == (
        1,
        True,
        world.author_a,
        "a1b2c3d4-save",
    )
    assert not AuditEntry.objects.filter(action="imr.answer_saved").exists()  # autosaves are not audited
    # The same save sent again (its answer lost on the way) is answered with the version it made.
    again = client.post(
        save_url(world, world.imr_a, everyone),
        {"body": body, "base_version": "0", "autosave": "1", "save_id": "a1b2c3d4-save"},
        **JSON,
    )
    assert again.status_code == 200 and again.json()["version"] == 1
    assert answer.revisions.count() == 1


def test_a_stale_save_is_refused_with_both_texts_and_nothing_overwritten(client, world, lines):
    everyone = lines[0]
    imr_narrative_services.imr_answer_save(
        actor=world.author_a_owner_b, imr=world.imr_a, key_line=everyone, text="<p>Theirs.</p>", base_version=0
    )
    client.force_login(world.author_a)
    response = client.post(
        save_url(world, world.imr_a, everyone), {"body": "<p>Mine.</p>", "base_version": "0"}, **JSON
    )
    assert response.status_code == 409
    payload = response.json()
    assert payload["theirs"] == "<p>Theirs.</p>" and payload["mine"] == "<p>Mine.</p>"
    assert payload["version"] == 1
    assert "was saved by" in payload["error"] and "Nothing was overwritten" in payload["error"]
    assert "Theirs." in payload["conflict"] and "Mine." in payload["conflict"]
    answer = ImrAnswer.objects.get(imr=world.imr_a, key_line=everyone)
    assert (answer.text, answer.version) == ("<p>Theirs.</p>", 1)
    # Without the script: the page again (409), the text box holding this person's text.
    response = client.post(save_url(world, world.imr_a, everyone), {"body": "<p>Mine.</p>", "base_version": "0"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "&lt;p&gt;Mine.&lt;/p&gt;</textarea>" in page and "Their version 1" in page
    # Saving over theirs on purpose: based on their version.
    response = client.post(save_url(world, world.imr_a, everyone), {"body": "<p>Mine.</p>", "base_version": "1"})
    assert response.status_code == 302
    assert ImrAnswer.objects.get(pk=answer.pk).text == "<p>Mine.</p>"


def test_the_form_without_the_editor_saves_plain_text_as_paragraphs(client, world, lines):
    everyone = lines[0]
    client.force_login(world.author_a)
    response = client.post(
        save_url(world, world.imr_a, everyone), {"body": "First a < b & c.\n\nSecond\nline.", "base_version": "0"}
    )
    assert response.status_code == 302 and response.url.endswith(f"#line-{everyone.pk}")
    answer = ImrAnswer.objects.get(imr=world.imr_a, key_line=everyone)
    assert answer.text == "<p>First a &lt; b &amp; c.</p><p>Second<br>line.</p>"
    assert AuditEntry.objects.filter(action="imr.answer_saved", detail__version=1).count() == 1
    world.imr_a.refresh_from_db()


def test_a_submitted_imrs_answer_cannot_be_saved(client, world, lines):
    client.force_login(world.author_b)
    response = client.post(save_url(world, world.imr_b, lines[0]), {"body": "x", "base_version": "0"}, **JSON)
    assert response.status_code == 403


def test_the_history_lists_every_version_and_compares_two(client, world, lines):
    everyone = lines[0]
    for version, text in enumerate(["<p>One call-out.</p>", "<p>Two call-outs.</p><p>A referral.</p>"]):
        imr_narrative_services.imr_answer_save(
            actor=world.author_a, imr=world.imr_a, key_line=everyone, text=text, base_version=version
        )
    url = reverse("reviews:imr_answer_history", args=[world.review.pk, world.imr_a.pk, everyone.pk])
    client.force_login(world.author_a)
    page = client.get(url).content.decode()
    assert "Version 1" in page and "version 2" in page
    assert "<del>One</del><ins>Two</ins> call-<del>out</del><ins>outs</ins>." in page
    assert 'class="diff-added"><span class="visually-hidden">Added: </span>A referral.' in page
    first, second = ImrAnswerRevision.objects.order_by("version")
    page = client.get(url, {"a": second.pk, "b": first.pk}).content.decode()
    assert "Version 1" in page and "A referral." in page
    # The history is the agency's own: the panel reads the answers as submitted, not each draft.
    client.force_login(world.panel)
    assert client.get(url).status_code == 404


def test_plain_text_answers_of_before_become_escaped_paragraphs():
    migration = importlib.import_module("reviews.migrations.0012_imr_narrative_document")
    assert migration._paragraphs("Knew <b>this</b>.\n\nThen\nthat.") == (
        "<p>Knew &lt;b&gt;this&lt;/b&gt;.</p><p>Then<br>that.</p>"
    )
    assert migration._paragraphs("  \n ") == ""


# --- submission ---


def test_submitting_asks_for_confirmation_and_the_signing_off_manager(client, world, lines):
    everyone, police, _ = lines
    world.question_a.delete()
    imr_services.imr_narrative_save(
        actor=world.author_a, imr=world.imr_a, answers={everyone.pk: "a", police.pk: "b"}, recommendations=[]
    )
    url = reverse("reviews:imr_submit", args=[world.review.pk, world.imr_a.pk])
    client.force_login(world.author_a)
    page = client.get(url).content.decode()
    assert "What will be submitted" in page and "2 key lines of enquiry, all answered" in page
    world.imr_a.refresh_from_db()
    assert world.imr_a.status == Imr.Status.IN_PROGRESS  # looking is not submitting
    response = client.post(url, {"signing_off_manager": "", "signing_off_manager_role": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_signing_off_manager"' in page and "Enter the name of the manager who signs off the IMR." in page
    assert "Enter the signing-off manager&#x27;s role" in page
    world.imr_a.refresh_from_db()
    assert world.imr_a.status == Imr.Status.IN_PROGRESS
    response = client.post(url, SIGNED)
    assert response.status_code == 302
    world.imr_a.refresh_from_db()
    assert world.imr_a.status == Imr.Status.SUBMITTED
    assert (world.imr_a.signing_off_manager, world.imr_a.signing_off_manager_role) == (
        "Det Supt Jane Hale",
        "Head of Public Protection",
    )
    entry = AuditEntry.objects.get(action="imr.submitted")
    assert entry.detail["signing_off_manager"] == "Det Supt Jane Hale"
    assert entry.detail["signing_off_manager_role"] == "Head of Public Protection"
    detail = client.get(reverse("reviews:imr_detail", args=[world.review.pk, world.imr_a.pk])).content.decode()
    assert "Det Supt Jane Hale, Head of Public Protection" in detail


# --- what changed since the return ---


def test_a_resubmitted_imr_shows_the_chair_what_changed_since_the_return(client, world, lines):
    from chronology.models import ChronologyEntry
    from tests.factories import EntryFactory

    everyone, police, _ = lines
    world.question_a.delete()
    kept, removed = world.entry_a, EntryFactory(imr=world.imr_a, details="Phoned the school.")
    imr_services.imr_narrative_save(
        actor=world.author_a,
        imr=world.imr_a,
        answers={everyone.pk: "Two call-outs.\n\nNo referral.", police.pk: "DASH done."},
        recommendations=[],
    )
    imr_services.imr_submit(actor=world.author_a, imr=world.imr_a, **SIGNED)
    imr_services.imr_return(actor=world.chair, imr=world.imr_a, question="Was a referral made?", entry_questions={})
    snapshot = world.imr_a.snapshots.get()
    assert {state["id"] for state in snapshot.entries} == {kept.pk, removed.pk}
    assert snapshot.answers[str(everyone.pk)] == "<p>Two call-outs.</p><p>No referral.</p>"

    # The agency answers, changes an entry and an answer, removes one entry and adds another.
    imr_services.clarification_respond(
        actor=world.author_a, clarification=world.imr_a.clarifications.get(), response="Yes."
    )
    ChronologyEntry.objects.filter(pk=kept.pk).update(details="Visited at home.", significant=True)
    removed.delete()
    EntryFactory(imr=world.imr_a, details="Referral to MARAC.")
    answer = ImrAnswer.objects.get(imr=world.imr_a, key_line=everyone)
    imr_narrative_services.imr_answer_save(
        actor=world.author_a,
        imr=world.imr_a,
        key_line=everyone,
        text="<p>Two call-outs.</p><p>A referral on 3 May.</p>",
        base_version=answer.version,
    )
    client.force_login(world.chair)
    url = reverse("reviews:imr_detail", args=[world.review.pk, world.imr_a.pk])
    assert "What changed since you returned it" not in client.get(url).content.decode()  # not resubmitted yet
    imr_services.imr_submit(actor=world.author_a, imr=world.imr_a)  # signed off as recorded before

    page = client.get(url).content.decode()
    assert "What changed since you returned it" in page
    assert "1 entry added" in page and "Referral to MARAC." in page
    assert "1 entry removed" in page and "Phoned the school." in page
    assert "1 entry changed" in page
    assert '<th scope="row">Details</th>' in page and "Visited at home." in page
    assert '<th scope="row">Significant</th><td class="pre-line">No</td><td class="pre-line">Yes</td>' in page
    assert "Key line 1: What did the agency know?" in page
    assert "<del>No</del><ins>A</ins> referral<ins> on 3 May</ins>" in page
    assert "Key line 2:" not in page.split("What changed since you returned it")[1].split("Questions from")[0]


def test_an_imr_never_returned_shows_no_changes(client, world, lines):
    client.force_login(world.chair)
    page = client.get(reverse("reviews:imr_detail", args=[world.review.pk, world.imr_b.pk])).content.decode()
    assert "What changed since you returned it" not in page


def test_stale_answer_message_names_who_and_the_versions(world, lines):
    everyone = lines[0]
    imr_narrative_services.imr_answer_save(
        actor=world.author_a_owner_b, imr=world.imr_a, key_line=everyone, text="<p>x</p>", base_version=0
    )
    with pytest.raises(StaleAnswer) as excinfo:
        imr_narrative_services.imr_answer_save(
            actor=world.author_a, imr=world.imr_a, key_line=everyone, text="<p>y</p>", base_version=0
        )
    assert f"saved by {world.author_a_owner_b.display_name}" in str(excinfo.value)
    assert "version 0 is now version 1" in str(excinfo.value)
    assert json.dumps(ImrAnswer.objects.get(key_line=everyone).text) == json.dumps("<p>x</p>")


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_the_migration_turns_each_plain_text_answer_into_its_first_version(world):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(target):
        executor = MigrationExecutor(connection)
        executor.migrate(target)
        executor.loader.build_graph()
        return executor.loader.project_state(target).apps

    line = KeyLineOfEnquiry.objects.create(review=world.review, position=1, text="What did the agency know?")
    old = migrate([("reviews", "0011_rapid_review_title")])
    old.get_model("reviews", "ImrAnswer").objects.create(
        imr_id=world.imr_a.pk, key_line_id=line.pk, text="Two call-outs <in 2021>.\n\nA referral\nto MARAC."
    )
    # Every app's latest: going back took out the other apps' migrations that depend on later ones of reviews.
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(latest)
    answer = ImrAnswer.objects.get(imr=world.imr_a, key_line=line)
    assert answer.text == "<p>Two call-outs &lt;in 2021&gt;.</p><p>A referral<br>to MARAC.</p>"
    assert answer.version == 1
    assert answer.revisions.get().text == answer.text


def test_entries_uploaded_again_with_new_ids_are_not_changes(world):
    # "Replace all" gives every entry a new id: an entry with every field the same is the same
    # entry; one with the same date, time and event type and another field changed is changed.
    from reviews.imr_changes import imr_changes, imr_snapshot_take
    from tests.factories import EntryFactory

    first = EntryFactory(imr=world.imr_a, details="Phoned the school.")
    second = EntryFactory(imr=world.imr_a, details="Home visit.")
    snapshot = imr_snapshot_take(world.imr_a)
    world.imr_a.entries.all().delete()
    again = ((world.entry_a, world.entry_a.details), (first, first.details), (second, "Home visit, twice."))
    for entry, details in again:
        EntryFactory(
            imr=world.imr_a, date_start=entry.date_start, date_end=entry.date_end, precision=entry.precision,
            date_display=entry.date_display, time=entry.time, people=entry.people, source=entry.source,
            practitioner=entry.practitioner, event=entry.event, details=details, outcome=entry.outcome,
            comment=entry.comment, significant=entry.significant,
        )  # fmt: skip
    changes = imr_changes(world.imr_a, snapshot, [])
    assert changes.added == [] and changes.removed == []
    assert [(change.details, [(f.label, f.before, f.after) for f in change.fields]) for change in changes.changed] == [
        ("Home visit, twice.", [("Details", "Home visit.", "Home visit, twice.")])
    ]


def test_an_author_is_told_it_is_the_imrs_state_that_stops_a_change(client, world, lines):
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.ACCEPTED)
    client.force_login(world.author_a)
    response = client.get(reverse("reviews:imr_narrative", args=[world.review.pk, world.imr_a.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "This IMR is accepted: its chronology and narrative can no longer be changed." in page
    assert "Your role in this review" not in page
