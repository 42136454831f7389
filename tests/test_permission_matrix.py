"""The role x URL permission matrix.

Every URL of casereview has a row here: what each persona gets for each method. Anything a
persona may not read answers 404 (so nobody learns another board's review or another
agency's IMR exists); a write by someone who may only read answers 403; anonymous users
are sent to sign in. A new view is not done until it has its rows: ``test_every_url_is_in
_the_matrix`` fails until it does.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casereview.storage import file_store
from chronology import services as chronology_services
from tests.conftest import PERSONAS, World
from tests.matrix import LOGIN, Row, expect
from tests.matrix_rows import ROWS as MORE_ROWS
from tests.matrix_rows import meetings as meeting_rows

# Every test here only makes requests and reads: the world is built once for the module and each
# test runs in a savepoint of it (tests/conftest.py, _world_of_module).
SHARED_WORLD = True


def review_args(w: World) -> list:
    return [w.review.pk]


def review_form_data(w: World) -> dict:
    return {
        "partnership": w.review.partnership_id,
        "reference": "NDHR-99",
        "review_type": "dhr",
        "case_name": "Adult Z",
        "stage": "scoping",
        "scope_start": "2021-01-01",
        "scope_end": "2022-01-01",
        "key_lines": "What did each agency know?",
    }


def person_form_data(w: World) -> dict:
    return {"real_name": "Paul Marsh", "designation": "the victim's brother", "relationship": "family_member"}


def imr_a_args(w: World) -> list:
    return [w.review.pk, w.imr_a.pk]


def imr_b_args(w: World) -> list:
    return [w.review.pk, w.imr_b.pk]


def entry_a_args(w: World) -> list:
    return [w.review.pk, w.imr_a.pk, w.entry_a.pk]


def entry_b_args(w: World) -> list:
    return [w.review.pk, w.imr_b.pk, w.entry_b.pk]


def entry_data(w: World) -> dict:
    return {"date": "Summer 2021", "source": "Case record", "details": "Mother rang the duty desk."}


SIGNED_OFF = {"signing_off_manager": "Det Supt Jane Hale", "signing_off_manager_role": "Head of Public Protection"}
ANSWER = {"body": "<p>Two call-outs in 2021.</p>", "base_version": "0"}


def submittable_args(w: World) -> list:
    """Agency A's IMR with nothing left to do before it is submitted (its question withdrawn)."""
    w.question_a.delete()
    return imr_a_args(w)


def _key_line(w: World, agency=None):
    """A key line of enquiry asked of every agency, or of ``agency`` only."""
    from reviews.models import KeyLineOfEnquiry

    position = 2 if agency else 1
    line, _ = KeyLineOfEnquiry.objects.get_or_create(
        review=w.review, position=position, defaults={"text": f"Key line {position}"}
    )
    if agency:
        line.agencies.set([agency])
    return line


def key_lines_args(w: World) -> list:
    """The review, with a key line of enquiry to address."""
    _key_line(w)
    return review_args(w)


def line_a_args(w: World) -> list:
    return [w.review.pk, w.imr_a.pk, _key_line(w).pk]


def line_b_args(w: World) -> list:
    return [w.review.pk, w.imr_b.pk, _key_line(w).pk]


def other_agencys_line_args(w: World) -> list:
    """Agency A's IMR with the line asked of agency B only."""
    return [w.review.pk, w.imr_a.pk, _key_line(w, w.agency_b).pk]


CSV_UPLOAD = b"Date,Details,Source\r\n09/08/2021,Home visit by the health visitor,HV record\r\n"


def upload_data(w: World) -> dict:
    return {"file": SimpleUploadedFile("chronology.csv", CSV_UPLOAD, content_type="text/csv")}


def upload_args(w: World) -> list:
    from chronology.tasks import upload_parse_task

    upload = chronology_services.upload_request(
        actor=w.author_a, imr=w.imr_a, data=CSV_UPLOAD, original_name="chronology.csv", max_bytes=10_000_000
    )
    upload_parse_task(upload.pk)  # the check's job, run here
    return [w.review.pk, w.imr_a.pk, upload.pk]


def built(w: World):
    """A built version of the world's integrated chronology: agency A's entry and agency B's
    (both home visits on 1 May 2021, so suggested as duplicates)."""
    from chronology.integrated import services as integrated_services
    from reviews.models import Imr

    Imr.objects.filter(pk=w.imr_a.pk).update(status=Imr.Status.ACCEPTED)
    chronology = integrated_services.integrated_request(actor=w.chair, review=w.review, include_submitted=True)
    from tests.job_runs import run_job

    return run_job(chronology)


def built_args(w: World) -> list:
    return [w.review.pk, built(w).pk]


def timeline_args(w: World) -> list:
    chronology = built(w)
    return [chronology.review_id, chronology.version]


def link_args(w: World) -> list:
    return [w.review.pk, built(w).links.get().pk]


def failed_build_args(w: World) -> list:
    from chronology.models import IntegratedChronology

    chronology = IntegratedChronology.objects.create(review=w.review, version=9, status="failed", error="Worker lost")
    return [w.review.pk, chronology.pk]


def episode_args(w: World) -> list:
    from chronology.models import KeyEpisode

    episode = KeyEpisode.objects.create(review=w.review, title="Spring 2021", start="2021-03-01", end="2021-05-31")
    return [w.review.pk, episode.pk]


def export_args(w: World) -> list:
    from chronology.exports.selectors import export_fingerprint
    from chronology.models import ChronologyExport

    chronology = built(w)
    current = export_fingerprint(chronology, fmt="json", names="designations")  # a current file, not a superseded one
    export = ChronologyExport.objects.create(
        chronology=chronology,
        format="json",
        status="ready",
        file=file_store(ChronologyExport, "file", b"{}", ext="json"),
        fingerprint=current,
    )
    return [w.review.pk, export.pk]


def failed_export_args(w: World) -> list:
    from chronology.models import ChronologyExport

    export = ChronologyExport.objects.create(chronology=built(w), format="json", status="failed", error="x")
    return [w.review.pk, export.pk]


def compare_args(w: World) -> list:
    built(w)
    built(w)
    return [w.review.pk]


def invitation_args(w: World) -> list:
    """A fresh invitation's token (only its hash is stored, so the test makes both)."""
    from accounts.models import Invitation
    from accounts.services import invitation_token_hash

    token = "matrix-invitation-token"
    Invitation.objects.create(
        email="invited@example.org",
        partnership=w.review.partnership,
        token_hash=invitation_token_hash(token),
        invited_by=w.board_admin,
        expires_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
    )
    return [token]


def invitation_accept_data(w: World) -> dict:
    return {
        "username": "invited",
        "first_name": "Ivy",
        "last_name": "Invited",
        "password1": "a long enough passphrase",
        "password2": "a long enough passphrase",
    }


def pending_invitation_args(w: World) -> list:
    """The partnership and a pending invitation of its own."""
    import uuid

    from accounts.models import Invitation

    invitation = Invitation.objects.create(
        email="pending@example.org",
        partnership=w.review.partnership,
        token_hash=uuid.uuid4().hex,
        invited_by=w.board_admin,
        expires_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
    )
    return [w.review.partnership_id, invitation.pk]


def password_reset_data(w: World) -> dict:
    """A fresh address, with the test client's reset requests not yet counted (the limit is tested
    in tests/accounts/test_password_reset.py)."""
    import uuid

    from django.core.cache import cache

    from accounts.password_services import password_reset_limit_keys

    email = f"reset-{uuid.uuid4().hex}@example.org"
    cache.delete_many(password_reset_limit_keys(email=email, ip="127.0.0.1"))
    return {"email": email}


def chairs_passkey_args(w: World) -> list:
    """A passkey of the chair's: only the chair may remove it."""
    from django_otp_webauthn.models import WebAuthnCredential

    credential = WebAuthnCredential.objects.create(
        user=w.chair, name="Chair's laptop", credential_id=b"matrix-credential", public_key=b"key", confirmed=True
    )
    return [credential.pk]


# Shorthands for who may do what in the world's review.
MANAGERS = {"board_admin": 200, "chair": 200}
PANEL_READERS = {**MANAGERS, "panel": 200}
REVIEW_MEMBERS = {**PANEL_READERS, "author_a": 200, "author_b": 200, "owner": 200}
READ_ONLY_MEMBERS_403 = {"panel": 403, "author_a": 403, "author_b": 403, "owner": 403}
# The panel may read a submitted IMR but not change it.
PANEL_403 = {"board_admin": 403, "chair": 403, "panel": 403}


def saved(outcomes: dict[str, int]) -> dict[str, int]:
    """The same personas, expecting the redirect that follows a successful write."""
    return {persona: 302 for persona in outcomes}


def reports_world(w: World) -> dict:
    """A drafted overview report for the matrix: a section with two versions, a comment by the
    chair and a glossary term (made once per test and review, whichever world names the review)."""
    if not hasattr(w.review, "_matrix_reports"):
        from reports import discussion_services, document_services, glossary_services
        from reports import services as report_services
        from reports.models import Document

        # The family reader's reading may have made the document already (tests/conftest.py).
        document = Document.objects.filter(review=w.review, kind="overview").first()
        document = document or document_services.document_create(review=w.review, kind="overview", actor=w.chair)
        section = document.sections.first()
        report_services.section_save(section_id=section.pk, body="<p>First.</p>", base_version=0, actor=w.chair)
        section = report_services.section_save(
            section_id=section.pk, body="<p>First paragraph.</p>", base_version=1, actor=w.chair
        )
        comment = discussion_services.comment_add(section=section, actor=w.chair, text="Check this.")
        term = glossary_services.glossary_term_save(
            review=w.review, abbreviation="GP", expansion="General Practitioner", actor=w.chair
        )
        w.review._matrix_reports = {
            "document": document,
            "section": section,
            "revision": section.revisions.get(version=1),
            "comment": comment,
            "term": term,
        }
    return w.review._matrix_reports


def document_args(w: World) -> list:
    return [w.review.pk, reports_world(w)["document"].pk]


def section_args(w: World) -> list:
    return [*document_args(w), reports_world(w)["section"].pk]


PANEL_READS = expect(404, chair=200, panel=200, board_admin=200)
CHAIR_WRITES = expect(404, chair=302, panel=403, board_admin=302)
# --- actions: helpers ---


def action_plan(w: World):
    """The world's action plan (tests/actions/conftest.py): one recommendation with an action
    for agency A (owned by ``owner``) and one for agency B (owned by ``author_a_owner_b``)."""
    from tests.actions.conftest import make_plan

    return make_plan(w)


def recommendation_args(w: World) -> list:
    return [w.review.pk, action_plan(w).recommendation.pk]


def empty_recommendation_args(w: World) -> list:
    from actions import services as action_services

    recommendation = action_services.recommendation_create(
        actor=w.chair, review=w.review, data=action_services.RecommendationData(text="Review the protocol.")
    )
    return [w.review.pk, recommendation.pk]


def action_a_args(w: World) -> list:
    return [w.review.pk, action_plan(w).action_a.pk]


def action_b_args(w: World) -> list:
    return [w.review.pk, action_plan(w).action_b.pk]


def milestone_a_args(w: World) -> list:
    from actions.models import Milestone

    action = action_plan(w).action_a
    return [w.review.pk, action.pk, Milestone.objects.create(action=action, text="Briefing written").pk]


def evidence_a_args(w: World) -> list:
    plan = action_plan(w)
    return [w.review.pk, plan.action_a.pk, plan.evidence_a.pk]


def evidence_b_args(w: World) -> list:
    plan = action_plan(w)
    return [w.review.pk, plan.action_b.pk, plan.evidence_b.pk]


def clock_args(w: World) -> list:
    from reviews.models import Review

    Review.objects.filter(pk=w.review.pk).update(notification_date=datetime.date(2026, 1, 5))
    return [w.review.pk]


def recommendation_form_data(w: World) -> dict:
    return {"text": "Train call handlers.", "source": "overview_report", "scope": "local", "agencies": [w.agency_a.pk]}


def action_form_data(w: World) -> dict:
    return {
        "text": "Brief every call handler.",
        "lead_agency": w.agency_a.pk,
        "target_date": "2027-03-31",
        "status": "on_track",
    }


def board_export_args(w: World) -> list:
    from actions.models import BoardPlanExport

    export = BoardPlanExport.objects.create(
        partnership=w.review.partnership, format="xlsx", status="ready", file=ContentFile(b"x", "x.xlsx")
    )
    return [w.review.partnership_id, export.pk]


def failed_board_export_args(w: World) -> list:
    from actions.models import BoardPlanExport

    export = BoardPlanExport.objects.create(partnership=w.review.partnership, format="pdf", status="failed", error="x")
    return [w.review.partnership_id, export.pk]


PLAN_READERS = {**PANEL_READERS, "owner": 200, "author_a_owner_b": 200}
# No part in the review: a family reader reads a version of its draft, no more.
NO_PART_404 = {"outsider": 404, "other_board_admin": 404, "family_reader": 404}
OWNERS_403 = {"panel": 403, "owner": 403, "author_a_owner_b": 403}


MATRIX: list[Row] = [
    Row("login", "GET", lambda w: [], expect(302, anonymous=200)),
    Row("logout", "POST", lambda w: [], expect(302, anonymous=302)),
    # The accessibility statement is for everyone, signed in or not.
    Row("accessibility", "GET", lambda w: [], expect(200, anonymous=200)),
    # The idle timer's own endpoint: the seconds left (GET) or more of them (POST), for the signed-in.
    Row("session_keep_alive", "GET", lambda w: [], expect(200)),
    Row("session_keep_alive", "POST", lambda w: [], expect(200)),
    # --- accounts/security ---
    # Every persona's session has passed MFA (tests/conftest.py), so the MFA pages send them on;
    # tests/accounts/test_mfa.py covers sessions that have not.
    Row("mfa_verify", "GET", lambda w: [], expect(302)),
    Row("mfa_verify", "POST", lambda w: [], expect(302), data=lambda w: {"code": "000000"}),
    Row("mfa_enrol", "GET", lambda w: [], expect(302)),
    Row("mfa_enrol", "POST", lambda w: [], expect(302), data=lambda w: {"code": "000000"}),
    Row("mfa_recovery_codes", "GET", lambda w: [], expect(200)),
    Row("mfa_recovery_codes", "POST", lambda w: [], expect(302)),
    Row("invitation_create", "GET", lambda w: [w.review.partnership_id], expect(404, board_admin=200)),
    Row(
        "invitation_create",
        "POST",
        lambda w: [w.review.partnership_id],
        expect(404, board_admin=302),
        data=lambda w: {"email": "new.person@example.org"},
    ),
    # The invitation link is for the person invited, who has no account yet.
    Row("invitation_accept", "GET", invitation_args, expect(400, anonymous=200)),
    Row("invitation_accept", "POST", invitation_args, expect(400, anonymous=302), data=invitation_accept_data),
    Row("invitation_withdraw", "POST", pending_invitation_args, expect(404, board_admin=302)),
    # Everyone's own password and passkeys; a reset link is for anyone holding it.
    Row("account_security", "GET", lambda w: [], expect(200)),
    Row("password_change", "GET", lambda w: [], expect(200)),
    Row(
        "password_change",
        "POST",
        lambda w: [],
        expect(200),
        data=lambda w: {"old_password": "not it", "new_password1": "x", "new_password2": "x"},
    ),
    Row("password_reset", "GET", lambda w: [], expect(200, anonymous=200)),
    Row("password_reset", "POST", lambda w: [], expect(302, anonymous=302), data=password_reset_data),
    Row("password_reset_confirm", "GET", lambda w: ["MQ", "bad-token"], expect(400, anonymous=400)),
    Row("password_reset_confirm", "POST", lambda w: ["MQ", "bad-token"], expect(400, anonymous=400)),
    Row("passkey_register_begin", "POST", lambda w: [], expect(200)),
    # No ceremony begun: refused.
    Row("passkey_register_complete", "POST", lambda w: [], expect(400)),
    # The personas have no passkey of their own.
    Row("passkey_auth_begin", "POST", lambda w: [], expect(400)),
    Row("passkey_auth_complete", "POST", lambda w: [], expect(400)),
    Row("passkey_remove", "POST", chairs_passkey_args, expect(404, chair=302)),
    # --- end accounts/security ---
    # A family reader's start is their reading (reports:family_home).
    Row("home", "GET", lambda w: [], expect(200, family_reader=302)),
    Row(
        "reviews:create",
        "GET",
        lambda w: [],
        expect(403, board_admin=200, other_board_admin=200),
    ),
    Row(
        "reviews:create",
        "POST",
        lambda w: [],
        # The other board's administrator cannot choose this partnership: the form refuses it.
        expect(403, board_admin=302, other_board_admin=200),
        data=review_form_data,
    ),
    Row("reviews:detail", "GET", review_args, expect(404, **REVIEW_MEMBERS)),
    Row(
        "reviews:detail",
        "GET",
        lambda w: [w.other_review.pk],
        expect(404, other_board_admin=200),
        label="(other board's review)",
    ),
    Row("reviews:edit", "GET", review_args, expect(404, **MANAGERS, **READ_ONLY_MEMBERS_403)),
    Row(
        "reviews:edit",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), **READ_ONLY_MEMBERS_403),
        data=lambda w: {**review_form_data(w), "reference": w.review.reference},
    ),
    Row(
        "reviews:edit",
        "GET",
        lambda w: [w.other_review.pk],
        expect(404, other_board_admin=200),
        label="(other board's review)",
    ),
    Row("reviews:person_list", "GET", review_args, expect(404, **PANEL_READERS)),
    Row("reviews:person_create", "GET", review_args, expect(404, **MANAGERS, panel=403)),
    Row(
        "reviews:person_create",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), panel=403),
        data=person_form_data,
    ),
    Row("reviews:person_edit", "GET", lambda w: [w.review.pk, w.person.pk], expect(404, **MANAGERS, panel=403)),
    Row(
        "reviews:person_edit",
        "POST",
        lambda w: [w.review.pk, w.person.pk],
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: {"real_name": "Susan Marsh", "designation": "Mrs M", "relationship": "family_member"},
    ),
    Row(
        "reviews:person_edit",
        "GET",
        lambda w: [w.other_review.pk, w.person.pk],
        expect(404),
        label="(person id under another review)",
    ),
    Row(
        "reviews:person_delete",
        "POST",
        lambda w: [w.review.pk, w.person.pk],
        expect(404, chair=302, board_admin=302, panel=403),
    ),
    Row("reviews:membership_list", "GET", review_args, expect(404, **PANEL_READERS)),
    Row(
        "reviews:membership_list",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: {"email": w.outsider.email, "role": "panel"},
    ),
    Row(
        "reviews:membership_delete",
        "POST",
        lambda w: [w.review.pk, w.review.memberships.get(user=w.panel).pk],
        expect(404, **saved(MANAGERS), panel=403),
    ),
    Row(
        "reviews:membership_panel_role",
        "POST",
        lambda w: [w.review.pk, w.review.memberships.get(user=w.panel).pk],
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: {"panel_role": "Head of Safeguarding, Northshire Council"},
    ),
    Row("reviews:imr_request", "GET", review_args, expect(404, **MANAGERS, **READ_ONLY_MEMBERS_403)),
    Row(
        "reviews:imr_request",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), **READ_ONLY_MEMBERS_403),
        data=lambda w: {
            "new_agency_name": "Northshire Housing",
            "new_agency_kind": "housing",
            "due_date": "2027-01-31",
        },
    ),
    Row(
        "reviews:imr_detail",
        "GET",
        lambda w: [w.review.pk, w.imr_a.pk],
        expect(404, **PANEL_READERS, author_a=200),
        label="(agency A)",
    ),
    Row(
        "reviews:imr_detail",
        "GET",
        lambda w: [w.review.pk, w.imr_b.pk],
        expect(404, **PANEL_READERS, author_b=200),
        label="(agency B)",
    ),
    Row(
        "reviews:imr_detail",
        "GET",
        lambda w: [w.other_review.pk, w.imr_a.pk],
        expect(404),
        label="(IMR id under another review)",
    ),
    Row(
        "reviews:imr_edit",
        "GET",
        lambda w: [w.review.pk, w.imr_a.pk],
        expect(404, **MANAGERS, panel=403, author_a=403),
    ),
    Row(
        "reviews:imr_edit",
        "POST",
        lambda w: [w.review.pk, w.imr_a.pk],
        expect(404, **saved(MANAGERS), panel=403, author_a=403),
        data=lambda w: {"due_date": "2027-02-28", "author": w.author_a.pk, "signing_off_manager": "Supt. J Bloggs"},
    ),
    Row("reviews:audit", "GET", review_args, expect(404, **MANAGERS, **READ_ONLY_MEMBERS_403)),
    # The IMR workflow. Agency A's IMR is a draft: only its author reads or changes it.
    # Agency B's is submitted: the panel reads it, the chair decides, nobody changes it.
    Row("reviews:imr_narrative", "GET", imr_a_args, expect(404, author_a=200)),
    Row("reviews:imr_narrative", "GET", imr_b_args, expect(404, **PANEL_403, author_b=403), label="(submitted)"),
    Row(
        "reviews:imr_narrative",
        "POST",
        imr_a_args,
        expect(404, author_a=302),
        data=lambda w: {"recommendations": "Train call handlers on DASH."},
    ),
    # Submitting is confirmed on its own page, with the signing-off manager's name and role.
    Row("reviews:imr_submit", "GET", imr_a_args, expect(404, author_a=200)),
    Row("reviews:imr_submit", "GET", imr_b_args, expect(404, **PANEL_403, author_b=403), label="(submitted)"),
    Row("reviews:imr_submit", "POST", submittable_args, expect(404, author_a=302), data=lambda w: SIGNED_OFF),
    Row(
        "reviews:imr_submit",
        "POST",
        submittable_args,
        expect(404, author_a=400),
        label="(no signing-off manager)",
    ),
    Row("reviews:imr_submit", "POST", imr_b_args, expect(404, **PANEL_403, author_b=403), label="(submitted)"),
    # Each answer to a key line of enquiry is saved on its own; a line asked of another agency
    # does not exist under this IMR. An answer's history is its agency's own.
    Row("reviews:imr_answer_save", "POST", line_a_args, expect(404, author_a=302), data=lambda w: ANSWER),
    Row(
        "reviews:imr_answer_save",
        "POST",
        line_b_args,
        expect(404, **PANEL_403, author_b=403),
        data=lambda w: ANSWER,
        label="(submitted)",
    ),
    Row(
        "reviews:imr_answer_save",
        "POST",
        other_agencys_line_args,
        expect(404),
        data=lambda w: ANSWER,
        label="(another agency's line)",
    ),
    Row("reviews:imr_answer_history", "GET", line_a_args, expect(404, author_a=200)),
    Row("reviews:imr_answer_history", "GET", line_b_args, expect(404, author_b=200), label="(submitted)"),
    Row(
        "reviews:imr_answer_history",
        "GET",
        other_agencys_line_args,
        expect(404),
        label="(another agency's line)",
    ),
    Row("reviews:key_lines_address", "GET", key_lines_args, expect(404, **MANAGERS, **READ_ONLY_MEMBERS_403)),
    Row(
        "reviews:key_lines_address",
        "POST",
        key_lines_args,
        expect(404, **saved(MANAGERS), **READ_ONLY_MEMBERS_403),
        data=lambda w: {f"line_{_key_line(w).pk}": [str(w.agency_a.pk)]},
    ),
    Row("reviews:imr_nil_return", "GET", imr_a_args, expect(404, author_a=200)),
    Row(
        "reviews:imr_nil_return",
        "POST",
        imr_a_args,
        # Agency A has entries, so the nil return is refused on the form.
        expect(404, author_a=200),
        data=lambda w: {"reason": "No contact."},
    ),
    Row("reviews:imr_return", "GET", imr_b_args, expect(404, **MANAGERS, panel=403, author_b=403)),
    Row(
        "reviews:imr_return",
        "POST",
        imr_b_args,
        expect(404, **saved(MANAGERS), panel=403, author_b=403),
        data=lambda w: {"question": "Who attended?"},
    ),
    Row("reviews:imr_accept", "POST", imr_b_args, expect(404, **saved(MANAGERS), panel=403, author_b=403)),
    Row(
        "reviews:clarification_respond",
        "POST",
        lambda w: [w.review.pk, w.imr_a.pk, w.question_a.pk],
        expect(404, author_a=302),
        data=lambda w: {"response": "The school nurse."},
    ),
    Row(
        "reviews:clarification_respond",
        "POST",
        lambda w: [w.review.pk, w.imr_b.pk, w.question_a.pk],
        expect(404),
        label="(question id under another IMR)",
    ),
    # Chronologies.
    Row("chronology:entries", "GET", imr_a_args, expect(404, author_a=200)),
    Row("chronology:entries", "GET", imr_b_args, expect(404, **PANEL_READERS, author_b=200), label="(submitted)"),
    # An agency's chronology in the upload template: whoever may read it, as the page.
    Row("chronology:download", "GET", lambda w: [*imr_a_args(w), "xlsx"], expect(404, author_a=200)),
    Row("chronology:download", "GET", lambda w: [*imr_a_args(w), "csv"], expect(404, author_a=200), label="(csv)"),
    Row("chronology:download", "GET", lambda w: [*imr_a_args(w), "pdf"], expect(404), label="(no such format)"),
    Row(
        "chronology:download",
        "GET",
        lambda w: [*imr_b_args(w), "xlsx"],
        expect(404, **PANEL_READERS, author_b=200),
        label="(submitted)",
    ),
    Row("chronology:entry_create", "POST", imr_a_args, expect(404, author_a=302), data=entry_data),
    Row(
        "chronology:entry_create",
        "POST",
        imr_b_args,
        expect(404, **PANEL_403, author_b=403),
        data=entry_data,
        label="(submitted)",
    ),
    Row("chronology:entry_row", "GET", entry_a_args, expect(404, author_a=200)),
    Row("chronology:entry_edit", "GET", entry_a_args, expect(404, author_a=200)),
    Row("chronology:entry_edit", "POST", entry_a_args, expect(404, author_a=302), data=entry_data),
    Row("chronology:entry_edit", "GET", entry_b_args, expect(404, **PANEL_403, author_b=403), label="(submitted)"),
    Row(
        "chronology:entry_edit",
        "GET",
        lambda w: [w.review.pk, w.imr_a.pk, w.entry_b.pk],
        expect(404),
        label="(entry id under another agency's IMR)",
    ),
    Row("chronology:entry_delete", "POST", entry_a_args, expect(404, author_a=302)),
    Row("chronology:entry_delete", "POST", entry_b_args, expect(404, **PANEL_403, author_b=403), label="(submitted)"),
    Row("chronology:entry_move", "POST", entry_a_args, expect(404, author_a=302), data=lambda w: {"direction": "up"}),
    Row("chronology:upload", "GET", imr_a_args, expect(404, author_a=200)),
    Row("chronology:upload", "GET", imr_b_args, expect(404, **PANEL_403, author_b=403), label="(submitted)"),
    Row("chronology:upload", "POST", imr_a_args, expect(404, author_a=302), data=upload_data),
    Row("chronology:upload_preview", "GET", upload_args, expect(404, author_a=200)),
    Row("chronology:upload_status", "GET", upload_args, expect(404, author_a=200)),
    Row(
        "chronology:upload_preview",
        "POST",
        upload_args,
        expect(404, author_a=302),
        data=lambda w: {"mode": "replace"},
    ),
    # The integrated chronology: the panel reads it; the chair and board administrator build
    # it and decide on its links; agencies never see it.
    Row("chronology:integrated", "GET", review_args, expect(404, **PANEL_READERS)),
    Row(
        "chronology:integrated",
        "GET",
        lambda w: [built(w).review_id],
        expect(404, **PANEL_READERS),
        label="(built)",
    ),
    Row("chronology:build", "POST", review_args, expect(404, **saved(MANAGERS), panel=403)),
    Row("chronology:build_status", "GET", built_args, expect(404, **PANEL_READERS)),
    Row("chronology:timeline", "GET", timeline_args, expect(404, **PANEL_READERS)),
    Row("chronology:build_retry", "POST", failed_build_args, expect(404, **saved(MANAGERS), panel=403)),
    Row("chronology:links", "GET", lambda w: [built(w).review_id], expect(404, **PANEL_READERS)),
    Row(
        "chronology:link_decide",
        "POST",
        link_args,
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: {"status": "confirmed"},
    ),
    Row("chronology:episodes", "GET", review_args, expect(404, **PANEL_READERS)),
    Row(
        "chronology:episodes",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: {"title": "The first key episode", "start": "2021-01-01", "end": "2021-06-30"},
    ),
    Row("chronology:episode_delete", "POST", episode_args, expect(404, **saved(MANAGERS), panel=403)),
    Row(
        "chronology:compare",
        "GET",
        compare_args,
        expect(404, **PANEL_READERS),
        data=lambda w: {"from": 1, "to": 2},
    ),
    Row(
        "chronology:export",
        "POST",
        lambda w: [w.review.pk, built(w).version],
        expect(404, **saved(PANEL_READERS)),
        data=lambda w: {"fmt": "json", "names": "designations"},
    ),
    Row("chronology:export_download", "GET", export_args, expect(404, **PANEL_READERS)),
    Row("chronology:export_status", "GET", export_args, expect(404, **PANEL_READERS)),
    Row("chronology:export_cancel", "POST", export_args, expect(404, **saved(MANAGERS), panel=403)),
    Row("chronology:export_retry", "POST", failed_export_args, expect(404, **saved(PANEL_READERS))),
    # What blocks a designations export: the panel reads it; the chair and board decide.
    Row("chronology:publication_check", "GET", lambda w: [w.review.pk, built(w).version], expect(404, **PANEL_READERS)),
    Row(
        "chronology:publication_decide",
        "POST",
        lambda w: [w.review.pk, built(w).version],
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: {"key": "entry:x:details|x|marsh|1", "reason": "A street.", "decision": "acknowledge"},
    ),
    Row(
        "chronology:publication_decision_withdraw",
        "POST",
        lambda w: [w.review.pk, built(w).version, _entry_decision(w).pk],
        expect(404, **saved(MANAGERS), panel=403),
    ),
    Row("chronology:template", "GET", lambda w: ["xlsx"], expect(200)),
    Row("chronology:template", "GET", lambda w: ["csv"], expect(200), label="(csv)"),
    Row(
        "reviews:partnership_detail",
        "GET",
        lambda w: [w.review.partnership_id],
        expect(404, board_admin=200),
    ),
    Row(
        "reviews:partnership_detail",
        "POST",
        lambda w: [w.review.partnership_id],
        expect(404, board_admin=302),
        data=lambda w: {"name": "Northshire Probation", "kind": "probation"},
    ),
    Row(
        "reviews:partnership_logo",
        "POST",
        lambda w: [w.review.partnership_id],
        expect(404, board_admin=302),
        data=lambda w: {"remove": "1"},
    ),
    # The hour the partnership's reminders are sent (actions.reminder_schedule).
    Row(
        "actions:reminder_hour",
        "POST",
        lambda w: [w.review.partnership_id],
        expect(404, board_admin=302),
        data=lambda w: {"reminder_hour": "9"},
    ),
    Row("actions:reminder_hour", "GET", lambda w: [w.review.partnership_id], expect(405, anonymous=405), label="(GET)"),
    Row(
        "reviews:partnership_audit",
        "GET",
        lambda w: [w.review.partnership_id],
        expect(404, board_admin=200),
    ),
    Row(
        "reviews:archive",
        "POST",
        review_args,
        expect(403, **NO_PART_404, board_admin=302),
        data=lambda w: {"retain_until": "2040-01-01"},
    ),
    Row("reviews:unarchive", "POST", review_args, expect(403, **NO_PART_404, board_admin=302)),
    Row(
        "reviews:purge",
        "POST",
        review_args,
        expect(403, **NO_PART_404, board_admin=302),
        data=lambda w: {"confirm": w.review.reference},
    ),
    # --- reports ---
    Row("reports:documents", "GET", review_args, PANEL_READS),
    Row("reports:document_create", "POST", review_args, CHAIR_WRITES, data=lambda w: {"kind": "executive_summary"}),
    Row("reports:reference_search", "GET", review_args, expect(404, chair=200, panel=403, board_admin=200)),
    Row("reports:document", "GET", document_args, PANEL_READS),
    Row("reports:document_numbering", "POST", document_args, CHAIR_WRITES, data=lambda w: {"numbering": "continuous"}),
    Row("reports:document_status", "POST", document_args, CHAIR_WRITES, data=lambda w: {"status": "panel_review"}),
    Row(
        "reports:document_chronology_columns",
        "POST",
        document_args,
        CHAIR_WRITES,
        data=lambda w: {"columns": ["seq", "date", "agency", "details"]},
    ),
    Row("reports:document_preview", "GET", document_args, PANEL_READS),
    Row("reports:section_add", "POST", document_args, CHAIR_WRITES, data=lambda w: {"title": "Appendix"}),
    Row("reports:section", "GET", section_args, PANEL_READS),
    # The rest of the panel open the editor to suggest changes: a save that changes the text
    # itself is refused (400), one that only suggests is saved.
    Row("reports:section_edit", "GET", section_args, PANEL_READS),
    Row(
        "reports:section_edit",
        "POST",
        section_args,
        expect(404, chair=302, panel=400, board_admin=302),
        data=lambda w: {"body": "<p>Changed.</p>", "base_version": reports_world(w)["section"].version},
    ),
    Row(
        "reports:section_edit",
        "POST",
        section_args,
        expect(404, chair=302, panel=302, board_admin=302),
        data=lambda w: {
            "body": f'<p>First paragraph.<ins data-change="change-0001" data-author="{w.panel.pk}" '
            'data-time="2026-12-03T20:45:00Z"> Suggested.</ins></p>',
            "base_version": reports_world(w)["section"].version,
        },
        label="(a suggestion by the panel member)",
    ),
    Row("reports:section_rename", "POST", section_args, CHAIR_WRITES, data=lambda w: {"title": "Opening"}),
    Row("reports:section_move", "POST", section_args, CHAIR_WRITES, data=lambda w: {"direction": "down"}),
    Row(
        "reports:section_remove",
        "POST",
        section_args,
        CHAIR_WRITES,
        data=lambda w: {"confirm": reports_world(w)["section"].title},
    ),
    Row("reports:section_history", "GET", section_args, PANEL_READS),
    Row(
        "reports:revision_restore",
        "POST",
        lambda w: [*section_args(w), reports_world(w)["revision"].pk],
        CHAIR_WRITES,
        data=lambda w: {"base_version": reports_world(w)["section"].version},
    ),
    Row(
        "reports:comment_add",
        "POST",
        section_args,
        expect(404, chair=302, panel=302, board_admin=302),
        data=lambda w: {"text": "A comment."},
    ),
    Row("reports:comment_resolve", "POST", lambda w: [*section_args(w), reports_world(w)["comment"].pk], CHAIR_WRITES),
    Row("reports:glossary", "GET", review_args, PANEL_READS),
    Row(
        "reports:glossary",
        "POST",
        review_args,
        CHAIR_WRITES,
        data=lambda w: {"abbreviation": "MARAC", "expansion": "Multi-Agency Risk Assessment Conference"},
    ),
    Row("reports:glossary_delete", "POST", lambda w: [w.review.pk, reports_world(w)["term"].pk], CHAIR_WRITES),
    # --- actions ---
    # The action plan: chair and board administrator manage it, the panel reads it, each
    # action owner sees and reports on their own agency's actions only; the board
    # administrator alone assures. IMR authors have no part in it.
    Row("actions:plan", "GET", review_args, expect(404, **PLAN_READERS)),
    Row("actions:export", "GET", lambda w: [w.review.pk, "xlsx"], expect(404, **PANEL_READERS)),
    Row("actions:export", "GET", lambda w: [w.review.pk, "pdf"], expect(404, **PANEL_READERS), label="(pdf)"),
    Row("actions:recommendation_create", "GET", review_args, expect(404, **MANAGERS, **OWNERS_403)),
    Row(
        "actions:recommendation_create",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), **OWNERS_403),
        data=recommendation_form_data,
    ),
    Row("actions:recommendation_edit", "GET", recommendation_args, expect(404, **MANAGERS, **OWNERS_403)),
    Row(
        "actions:recommendation_edit",
        "POST",
        recommendation_args,
        expect(404, **saved(MANAGERS), **OWNERS_403),
        data=recommendation_form_data,
    ),
    Row(
        "actions:recommendation_edit",
        "GET",
        lambda w: [w.other_review.pk, action_plan(w).recommendation.pk],
        expect(404),
        label="(recommendation id under another review)",
    ),
    # With no action of theirs in it, the recommendation is invisible to the owners.
    Row(
        "actions:recommendation_delete",
        "POST",
        empty_recommendation_args,
        expect(404, **saved(MANAGERS), panel=403),
    ),
    Row("actions:action_create", "GET", recommendation_args, expect(404, **MANAGERS, **OWNERS_403)),
    Row(
        "actions:action_create",
        "POST",
        recommendation_args,
        expect(404, **saved(MANAGERS), **OWNERS_403),
        data=action_form_data,
    ),
    Row("actions:action_detail", "GET", action_a_args, expect(404, **PANEL_READERS, owner=200), label="(agency A)"),
    Row(
        "actions:action_detail",
        "GET",
        action_b_args,
        expect(404, **PANEL_READERS, author_a_owner_b=200),
        label="(agency B)",
    ),
    Row(
        "actions:action_detail",
        "GET",
        lambda w: [w.other_review.pk, action_plan(w).action_a.pk],
        expect(404),
        label="(action id under another review)",
    ),
    Row("actions:action_edit", "GET", action_a_args, expect(404, **MANAGERS, panel=403, owner=403)),
    Row(
        "actions:action_edit",
        "POST",
        action_a_args,
        expect(404, **saved(MANAGERS), panel=403, owner=403),
        data=action_form_data,
    ),
    Row(
        "actions:action_progress",
        "POST",
        action_a_args,
        expect(404, **saved(MANAGERS), panel=403, owner=302),
        data=lambda w: {"text": "Half the call handlers briefed.", "status": "on_track"},
        label="(agency A)",
    ),
    Row(
        "actions:action_progress",
        "POST",
        action_b_args,
        expect(404, **saved(MANAGERS), panel=403, author_a_owner_b=302),
        data=lambda w: {"text": "Audit started.", "status": "on_track"},
        label="(agency B)",
    ),
    Row(
        "actions:action_assure",
        "POST",
        action_a_args,
        expect(404, board_admin=302, chair=403, panel=403, owner=403),
    ),
    Row(
        "actions:milestone_add",
        "POST",
        action_a_args,
        expect(404, **saved(MANAGERS), panel=403, owner=403),
        data=lambda w: {"milestone-text": "Briefing written", "milestone-due_date": "2026-08-01"},
    ),
    Row("actions:milestone_done", "POST", milestone_a_args, expect(404, **saved(MANAGERS), panel=403, owner=302)),
    Row(
        "actions:evidence_download",
        "GET",
        evidence_a_args,
        expect(404, **PANEL_READERS, owner=200),
        label="(agency A)",
    ),
    Row(
        "actions:evidence_download",
        "GET",
        evidence_b_args,
        expect(404, **PANEL_READERS, author_a_owner_b=200),
        label="(agency B)",
    ),
    Row("actions:clocks", "GET", review_args, expect(404, **PANEL_READERS)),
    Row(
        "actions:clocks",
        "POST",
        clock_args,
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: {"milestone": "decision", "due_date": "2026-03-31", "reason": "Criminal trial first."},
    ),
    Row(
        "actions:clock_met",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: {"met-milestone": "completion", "met-met_on": "2026-05-01"},
    ),
    Row("actions:dashboard", "GET", lambda w: [w.review.partnership_id], expect(404, board_admin=200)),
    Row(
        "actions:dashboard",
        "GET",
        lambda w: [w.other_review.partnership_id],
        expect(404, other_board_admin=200),
        label="(other board)",
    ),
    Row(
        "actions:board_export",
        "POST",
        lambda w: [w.review.partnership_id],
        expect(404, board_admin=302),
        data=lambda w: {"format": "xlsx"},
    ),
    Row("actions:board_export_status", "GET", board_export_args, expect(404, board_admin=200)),
    Row("actions:board_export_status", "POST", failed_board_export_args, expect(404, board_admin=302)),
    Row("actions:board_export_download", "GET", board_export_args, expect(404, board_admin=200)),
    Row(
        "actions:board_export_download",
        "GET",
        lambda w: [w.other_review.partnership_id, board_export_args(w)[1]],
        expect(404),
        label="(export id under another board)",
    ),
    Row("actions:themes", "GET", lambda w: [w.review.partnership_id], expect(404, board_admin=200)),
    Row(
        "actions:themes",
        "POST",
        lambda w: [w.review.partnership_id],
        expect(404, board_admin=302),
        data=lambda w: {"name": "Neglect"},
    ),
    Row("actions:my_actions", "GET", lambda w: [], expect(200)),
    # --- rendering ---
    Row("reports:render_status", "GET", lambda w: _render_args(w), expect(404, **PANEL_READERS)),
    Row("reports:render_cancel", "POST", lambda w: _render_args(w), expect(404, **saved(MANAGERS), panel=403)),
    Row(
        "reports:render_request",
        "POST",
        lambda w: _document_args(w),
        expect(404, **saved(PANEL_READERS)),
        data=lambda w: {"format": "pdf", "version": "panel"},
    ),
    Row(
        "reports:render_request",
        "POST",
        lambda w: _document_args(w),
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: {"format": "docx", "version": "publication"},
        label="(publication)",
    ),
    Row("reports:render_download", "GET", lambda w: _render_args(w), expect(404, **PANEL_READERS)),
    Row(
        "reports:render_download",
        "GET",
        lambda w: _render_args(w, publication=True),
        expect(404, **MANAGERS),
        label="(publication)",
    ),
    Row(
        "reports:render_retry", "POST", lambda w: _render_args(w, status="failed"), expect(404, **saved(PANEL_READERS))
    ),
    Row(
        "reports:render_retry",
        "POST",
        lambda w: _render_args(w, status="failed", publication=True),
        expect(404, **saved(MANAGERS)),
        label="(publication)",
    ),
    # --- end of rendering ---
    # --- publication decisions and the publication report: the chair's and the board's ---
    Row(
        "reports:publication_acknowledge",
        "POST",
        lambda w: _document_args(w),
        CHAIR_WRITES,
        data=lambda w: {"key": "section:1|x|marsh|1", "reason": "A street name."},
    ),
    Row(
        "reports:publication_confirm_person",
        "POST",
        lambda w: _document_args(w),
        CHAIR_WRITES,
        data=lambda w: {"key": "entry:x:details|x|jade|1", "reason": "The victim's name."},
    ),
    Row(
        "reports:publication_redact",
        "POST",
        lambda w: _document_args(w),
        CHAIR_WRITES,
        data=lambda w: {"key": "entry:x:details|x||0", "reason": "The agency's wording."},
    ),
    Row("reports:publication_decision_withdraw", "POST", lambda w: _decision_args(w), CHAIR_WRITES),
    Row(
        "reports:publication_decision_withdraw",
        "POST",
        lambda w: [*_document_args(w), _decision_args(dataclasses.replace(w, review=w.other_review))[2]],
        expect(404, panel=403),  # the panel may not withdraw anything: refused before the lookup
        label="(decision of another review, under this review's document)",
    ),
    Row("reports:publication_report", "GET", lambda w: _document_args(w), expect(404, **MANAGERS, panel=403)),
    Row("reports:publication_report_pdf", "GET", lambda w: _document_args(w), expect(404, **MANAGERS, panel=403)),
    # --- end of publication decisions ---
    # --- importing a Word draft: the chair's and the board administrators'; a pending import is its uploader's ---
    Row("reports:document_import", "GET", document_args, expect(404, **MANAGERS, panel=403)),
    Row("reports:document_import", "POST", document_args, CHAIR_WRITES, data=lambda w: {"file": _word_upload()}),
    Row("reports:document_import_preview", "GET", lambda w: _import_args(w), expect(404, chair=200, panel=403)),
    Row("reports:document_import_confirm", "POST", lambda w: _import_args(w), expect(404, chair=302, panel=403)),
    Row("reports:document_import_cancel", "POST", lambda w: _import_args(w), expect(404, chair=302, panel=403)),
    Row(
        "reports:document_import_preview",
        "GET",
        lambda w: [*document_args(w), _import_args(dataclasses.replace(w, review=w.other_review))[2]],
        expect(404, panel=403),  # another review's pending import, under this review's document
        label="(import of another review)",
    ),
    # --- end of importing ---
    # --- the submission page: the chair's and the board administrators' ---
    Row("reports:submission", "GET", review_args, expect(404, **MANAGERS, panel=403)),
    Row("reports:submission_pack_create", "POST", review_args, expect(404, **saved(MANAGERS), panel=403)),
    Row(
        "reports:submission_pack_status",
        "GET",
        lambda w: _submission_pack_args(w),
        expect(404, **saved(MANAGERS), panel=403),
    ),
    Row(
        "reports:submission_pack_status",
        "POST",
        lambda w: _submission_pack_args(w, status="failed"),
        expect(404, **saved(MANAGERS), panel=403),
    ),
    Row(
        "reports:submission_pack_download",
        "GET",
        lambda w: _submission_pack_args(w),
        expect(404, **MANAGERS, panel=403),
    ),
    Row(
        "reports:submission_mark",
        "POST",
        lambda w: [w.review.pk, "family_read_report"],
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: SUBMISSION_MARK,
    ),
    Row(
        "reports:submission_feedback",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: SUBMISSION_FEEDBACK,
    ),
    # --- end of the submission page ---
    # --- published documents: publication files made first; publications kept with their frozen files ---
    Row("reports:publication_files_make", "POST", lambda w: _document_args(w), CHAIR_WRITES),
    Row("reports:publication_detail", "GET", lambda w: _publication_args(w)[:2], expect(404, **MANAGERS, panel=403)),
    Row("reports:published_download", "GET", lambda w: _publication_args(w), expect(404, **MANAGERS, panel=403)),
    Row(
        "reports:published_download",
        "GET",
        lambda w: [*_publication_args(w)[:2], _publication_args(dataclasses.replace(w, review=w.other_review))[2]],
        expect(404, panel=403),  # the panel may not have it: refused before the lookup
        label="(file of another review's publication)",
    ),
    Row("reports:partnership_published", "GET", lambda w: [w.review.partnership_id], expect(404, board_admin=200)),
    # --- end of published documents ---
]
# Rows kept beside the views they cover (tests/matrix_rows/).
MATRIX += MORE_ROWS


def _word_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.reports.docx_import_files import new_document, saved

    word = new_document()
    word.add_heading("Introduction", level=1)
    word.add_paragraph("Imported from Word.")
    return SimpleUploadedFile("draft.docx", saved(word))


def _import_args(w: World) -> list:
    """The chair's pending import of a Word file into the review's overview report."""
    from datetime import timedelta

    from django.utils import timezone

    from reports.models import PendingImport

    document = reports_world(w)["document"]
    pending = PendingImport.objects.create(
        document=document, created_by=w.chair, expires_at=timezone.now() + timedelta(hours=1),
        filename="draft.docx", plan=[],
    )  # fmt: skip
    return [w.review.pk, document.pk, pending.pk]


# --- rendering ---
def _document_args(w: World) -> list:
    from reports.models import Document

    document, _created = Document.objects.get_or_create(review=w.review, kind="overview")
    return [w.review.pk, document.pk]


def _render_args(w: World, *, publication: bool = False, status: str = "ready") -> list:
    """A rendered file of the world's overview report (the panel's or the publication version)."""
    from reports.models import Document, DocumentRender
    from reports.render import document_fingerprint

    review_pk, document_pk = _document_args(w)
    fingerprint = "x"
    if publication:  # of the document as it stands: a superseded publication file is not offered
        fingerprint = document_fingerprint(Document.objects.get(pk=document_pk), fmt="pdf", publication=True)[0]
    row = DocumentRender.objects.create(
        document_id=document_pk, format="pdf", publication=publication, fingerprint=fingerprint, status=status,
        file=file_store(DocumentRender, "file", b"%PDF-", ext="pdf"),
    )  # fmt: skip
    return [review_pk, document_pk, row.pk]


# --- end of rendering ---


def _publication_args(w: World) -> list:
    """A publication of the world's overview report with one frozen file: [review, publication, file]."""
    from django.utils import timezone

    from reports.models import Publication, PublishedArtefact

    review_pk, document_pk = _document_args(w)
    publication, _created = Publication.objects.get_or_create(
        document_id=document_pk, superseded_at=None,
        defaults={"review_id": review_pk, "document_kind": "overview", "published_at": timezone.now(),
                  "published_by": w.chair, "report": {"passed": True, "sections": []}},
    )  # fmt: skip
    artefact, _created = PublishedArtefact.objects.get_or_create(
        publication=publication, filename="published.pdf",
        defaults={"format": "pdf", "fingerprint": "x", "sha256": hashlib.sha256(b"%PDF-").hexdigest(), "size": 5,
                  "file": file_store(PublishedArtefact, "file", b"%PDF-", ext="pdf")},
    )  # fmt: skip
    return [review_pk, publication.pk, artefact.pk]


def _entry_decision(w: World):
    """A redaction of an agency entry's field in the world's review."""
    from reviews.models import PublicationDecision

    return PublicationDecision.objects.create(
        review=w.review, kind="redact", scope="entry:abc:details", text_hash="0" * 24, reason="The agency's words."
    )


def _decision_args(w: World) -> list:
    """A publication decision of the world's review, withdrawn from its overview report's preview."""
    from reviews.models import PublicationDecision

    review_pk, document_pk = _document_args(w)
    decision = PublicationDecision.objects.create(
        review_id=review_pk, kind="acknowledge", scope="section:1", text_hash="0" * 24, term_key="marsh",
        occurrence=1, reason="A street name.",
    )  # fmt: skip
    return [review_pk, document_pk, decision.pk]


# --- the submission page ---
def _submission_pack_args(w: World, *, status: str = "ready") -> list:
    """A pack of the world's review (its files, or its failure)."""
    from reports.submission_models import SubmissionPack

    error = "x" if status == "failed" else ""
    pack = SubmissionPack.objects.create(review=w.review, status=status, file=ContentFile(b"PK", "p.zip"), error=error)
    return [w.review.pk, pack.pk]


SUBMISSION_MARK = {"family_read_report-met": "yes", "family_read_report-note": "Read on 3 March."}
SUBMISSION_FEEDBACK = {"outcome": "resubmit", "received_on": "2026-11-02", "text": "Say more about the GP's role."}
# --- end of the submission page ---


# --- the audit column ---
# Every GET row that someone may read says whether what it shows holds personal data (case
# detail, names, the trail itself). For those, each persona named (True: every persona the row
# lets in) writes an audit entry by reading it: the access helpers and the download helper record
# it, so a view cannot forget. A new readable GET row goes in one of these two, or
# ``test_every_readable_row_says_whether_it_shows_personal_data`` fails.
REGISTER_READERS = frozenset({"board_admin", "chair", "panel"})
SHOWS_PERSONAL_DATA: dict[str, bool | frozenset[str]] = {
    # The overview lists the person register for the panel; IMR authors and owners see no register.
    "GET reviews:detail": REGISTER_READERS,
    "GET reviews:detail (other board's review)": True,
    "GET reviews:person_list": True,
    "GET reviews:person_edit": True,
    # The family involvement log: who the relatives are and what they said; its forms list the register.
    "GET reviews:family_log": True,
    "GET reviews:family_contact_create": True,
    "GET reviews:family_contact_edit": True,
    "GET reviews:family_offer_create": True,
    "GET reviews:family_offer_edit": True,
    "GET reviews:family_pseudonym": True,
    # Agency A's draft: its content is its own authors'; the panel sees its status only.
    "GET reviews:imr_detail (agency A)": frozenset({"author_a", "author_a_owner_b"}),
    "GET reviews:imr_detail (agency B)": True,
    "GET reviews:imr_narrative": True,
    "GET reviews:imr_answer_history": True,
    "GET reviews:imr_answer_history (submitted)": True,
    "GET reviews:audit": True,
    "GET reviews:partnership_audit": True,
    "GET chronology:entries": True,
    "GET chronology:entries (submitted)": True,
    "GET chronology:download": True,
    "GET chronology:download (csv)": True,
    "GET chronology:download (submitted)": True,
    "GET chronology:entry_row": True,
    "GET chronology:entry_edit": True,
    "GET chronology:upload_preview": True,
    "GET chronology:integrated": True,
    "GET chronology:integrated (built)": True,
    "GET chronology:links": True,
    "GET chronology:episodes": True,
    "GET chronology:compare": True,
    "GET chronology:timeline": True,
    "GET chronology:export_download": True,
    "GET chronology:publication_check": True,
    "GET reports:reference_search": True,
    "GET reports:document": True,
    "GET reports:document_preview": True,
    "GET reports:section": True,
    "GET reports:section_edit": True,
    "GET reports:section_history": True,
    "GET reports:render_download": True,
    "GET reports:render_download (publication)": True,
    "GET reports:publication_report": True,
    "GET reports:publication_report_pdf": True,
    "GET reports:document_import_preview": True,
    # The publication report kept with a publication quotes the wording around each acknowledgement.
    "GET reports:publication_detail": True,
    "GET reports:published_download": True,
    "GET actions:export": True,
    "GET actions:export (pdf)": True,
    "GET actions:evidence_download (agency A)": True,
    "GET actions:evidence_download (agency B)": True,
    "GET actions:board_export_download": True,
    # The family readers' names and comments; the draft the family reader reads (each look recorded).
    "GET reports:family_readers": True,
    "GET reports:family_version": True,
    # The notification's circumstances, what the agencies said, and the reasons for each decision.
    "GET reviews:scoping": True,
    "GET reviews:scoping_information_edit": True,
    "GET reviews:decisions": True,
    "GET reviews:decisions (other board)": True,
    # The checklist's evidence (agencies, extension reasons) and the pack of publication files.
    "GET reports:submission": True,
    "GET reports:submission_pack_download": True,
}
SHOWS_NO_PERSONAL_DATA = {
    # Sign-in, accounts and empty forms.
    "GET login", "GET mfa_recovery_codes", "GET invitation_create", "GET invitation_accept", "GET home",
    "GET accessibility", "GET session_keep_alive",
    "GET account_security", "GET password_change", "GET password_reset",
    "GET reviews:create", "GET reviews:edit", "GET reviews:edit (other board's review)", "GET reviews:person_create",
    "GET reviews:imr_request", "GET reviews:imr_edit", "GET reviews:imr_nil_return", "GET reviews:imr_return",
    "GET reviews:imr_submit", "GET reviews:key_lines_address",
    "GET chronology:upload", "GET actions:recommendation_create", "GET actions:recommendation_edit",
    "GET actions:action_create", "GET actions:action_edit", "GET reports:document_import",
    # Who is on the review or board, and lists of documents, files and statuses.
    "GET reviews:membership_list", "GET reviews:partnership_detail", "GET chronology:build_status",
    "GET reports:documents", "GET reports:glossary",
    "GET actions:board_export_status", "GET chronology:export_status", "GET reports:render_status",
    "GET chronology:upload_status",
    # A blank template.
    "GET chronology:template", "GET chronology:template (csv)",
    # The action plan, its clocks and the board's dashboards: recommendations and actions, no case detail.
    "GET actions:plan", "GET actions:action_detail (agency A)", "GET actions:action_detail (agency B)",
    "GET actions:clocks", "GET actions:dashboard", "GET actions:dashboard (other board)", "GET actions:themes",
    "GET actions:my_actions",
    # The partnership's published reviews: references, case names as published, dates and files.
    "GET reports:partnership_published",
    # The versions a document's history offers (section titles, who saved them); a family reader's
    # list of what they may read (the review's reference and case name).
    "GET reports:family_reader_invite", "GET reports:family_home",
}  # fmt: skip
# Rows kept beside their views say it there too.
SHOWS_PERSONAL_DATA |= meeting_rows.SHOWS_PERSONAL_DATA
SHOWS_NO_PERSONAL_DATA |= meeting_rows.SHOWS_NO_PERSONAL_DATA


def _readable_get_rows() -> list[Row]:
    return [row for row in MATRIX if row.method == "GET" and 200 in row.outcomes.values()]


def test_every_readable_row_says_whether_it_shows_personal_data():
    ids = [row.id for row in _readable_get_rows()]
    unsaid = [row_id for row_id in ids if (row_id in SHOWS_PERSONAL_DATA) == (row_id in SHOWS_NO_PERSONAL_DATA)]
    assert not unsaid, f"Say whether these show personal data (or not both): {unsaid}"
    stale = (set(SHOWS_PERSONAL_DATA) | SHOWS_NO_PERSONAL_DATA) - set(ids)
    assert not stale, f"No readable matrix row has these ids: {sorted(stale)}"


@pytest.mark.parametrize(
    "row", [row for row in _readable_get_rows() if row.id in SHOWS_PERSONAL_DATA], ids=lambda row: row.id
)
def test_reading_personal_data_writes_an_audit_entry(world: World, row: Row):
    from reviews.models import AuditEntry

    marked = SHOWS_PERSONAL_DATA[row.id]
    readers = [p for p, outcome in row.outcomes.items() if outcome == 200 and (marked is True or p in marked)]
    assert readers, f"{row.id}: nobody reads it"
    url = reverse(row.name, args=row.args(world))
    for persona in readers:
        user = world.persona(persona)
        client = Client()
        client.force_login(user)
        before = AuditEntry.objects.filter(actor=user).count()
        response = client.get(url, row.data(world))
        assert response.status_code == 200, f"{persona} {row.id}: got {response.status_code}"
        after = AuditEntry.objects.filter(actor=user).count()
        assert after > before, f"{persona} {row.id}: reading it wrote no audit entry"
        # On the review's or the board's audit page, where the chair and board administrators look.
        for entry in AuditEntry.objects.filter(actor=user).order_by("-id")[: after - before]:
            assert entry.review_id or entry.partnership_id, f"{persona} {row.id}: {entry.action} is on no audit page"


def _request(client: Client, row: Row, world: World):
    url = reverse(row.name, args=row.args(world))
    if row.method == "GET":
        return client.get(url, row.data(world))
    return client.post(url, row.data(world))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.id)
def test_permission_matrix(client: Client, world: World, row: Row, persona: str):
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    response = _request(client, row, world)
    expected = row.outcomes[persona]
    if expected == LOGIN:
        assert response.status_code == 302, f"{persona} {row.id}: expected a sign-in redirect"
        assert response.url.startswith(reverse("login")), f"{persona} {row.id}: redirected to {response.url}"
    else:
        assert response.status_code == expected, f"{persona} {row.id}: expected {expected}, got {response.status_code}"
        if expected == 302 and row.method == "POST" and row.name != "logout":
            assert not response.url.startswith(reverse("login"))


@pytest.mark.parametrize("row", [row for row in MATRIX if row.method == "POST"], ids=lambda row: row.id)
def test_every_post_needs_a_csrf_token(world: World, row: Row):
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        world.board_admin if row.name in ("reviews:partnership_detail", "invitation_create") else world.chair
    )
    assert _request(client, row, world).status_code == 403


def _named_urls(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    covered = {row.name for row in MATRIX}
    missing = _named_urls(get_resolver().url_patterns) - covered
    assert not missing, f"URLs without permission-matrix rows: {sorted(missing)}"


def test_matrix_changes_stick_for_the_allowed_write(client: Client, world: World):
    """A 302 in the matrix is a real write, not a silent no-op."""
    client.force_login(world.chair)
    row = next(row for row in MATRIX if row.name == "reviews:imr_edit" and row.method == "POST")
    assert _request(client, row, world).status_code == 302
    world.imr_a.refresh_from_db()
    assert world.imr_a.due_date == datetime.date(2027, 2, 28)
    assert world.imr_a.signing_off_manager == "Supt. J Bloggs"
