"""An action plan on the world's review: one recommendation with an action for each agency,
each with one evidence file."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from actions import services
from actions.models import Action, Evidence, Recommendation
from reviews.models import ReviewMembership
from tests.conftest import World
from tests.factories import EntryFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@dataclass
class Plan:
    recommendation: Recommendation
    action_a: Action
    action_b: Action
    evidence_a: Evidence
    evidence_b: Evidence


def _owner_in(w: World, user, agency):
    """The user when they own the agency's actions in the world's review (a mirror world of
    another review, as the IDOR test builds, has no owners: its actions then have none)."""
    is_owner = ReviewMembership.objects.filter(
        review=w.review, user=user, agency=agency, role=ReviewMembership.Role.ACTION_OWNER
    ).exists()
    return user if is_owner else None


def make_plan(w: World) -> Plan:
    recommendation = services.recommendation_create(
        actor=w.chair,
        review=w.review,
        data=services.RecommendationData(
            text="Agencies share risk information about domestic abuse.",
            multi_agency=True,
            agencies=[w.agency_a, w.agency_b],
            scope="local",
            expected_outcome="Referrals carry the risk assessment.",
        ),
    )
    action_a = services.action_create(
        actor=w.chair,
        recommendation=recommendation,
        text="Police brief call handlers on DASH.",
        lead_agency=w.agency_a,
        owner=_owner_in(w, w.owner, w.agency_a),
        target_date=timezone.localdate() + datetime.timedelta(days=90),
    )
    action_b = services.action_create(
        actor=w.chair,
        recommendation=recommendation,
        text="Social care audits referrals.",
        lead_agency=w.agency_b,
        owner=_owner_in(w, w.author_a_owner_b, w.agency_b),
        target_date=timezone.localdate() + datetime.timedelta(days=120),
    )
    update_a = services.progress_add(
        actor=w.owner,
        action=action_a,
        text="Briefing drafted.",
        status="on_track",
        files=[services.EvidenceUpload("briefing.pdf", PDF)],
    )
    update_b = services.progress_add(
        actor=w.author_a_owner_b,
        action=action_b,
        text="Audit tool agreed.",
        status="on_track",
        files=[services.EvidenceUpload("audit tool.png", PNG)],
    )
    return Plan(recommendation, action_a, action_b, update_a.evidence.get(), update_b.evidence.get())


@pytest.fixture
def plan(world: World) -> Plan:
    return make_plan(world)


@pytest.fixture(autouse=True)
def _entry_positions_start_again():
    """The world's chronology entries take their positions from a factory sequence shared by
    the whole session, and tests of the chronology pages that run after these expect the
    world's first entry at position 1: leave the sequence as these tests found it."""
    yield
    EntryFactory.reset_sequence(0)
