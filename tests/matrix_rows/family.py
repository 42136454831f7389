"""The family involvement log: the panel reads it (chair, panel members, board administrators),
the chair and board administrators change it; IMR authors, action owners, other boards and
outsiders get 404, so they do not learn it exists."""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.matrix import Row, expect

MANAGERS = {"board_admin": 200, "chair": 200}
READERS = {**MANAGERS, "panel": 200}
SAVED = {"board_admin": 302, "chair": 302, "panel": 403}
FORMS = {**MANAGERS, "panel": 403}


def review_args(w: World) -> list:
    return [w.review.pk]


def _contact(w: World):
    from reviews.family_models import FamilyContact

    return FamilyContact.objects.get_or_create(
        review=w.review,
        person=w.person,
        defaults={"contact_date": datetime.date(2024, 2, 1), "method": "meeting", "contacted_by": w.chair,
                  "what_they_said": "<p>She was frightened of him.</p>", "consent_to_be_quoted": True},
    )[0]  # fmt: skip


def _offer(w: World):
    from reviews.family_models import FamilyOffer

    return FamilyOffer.objects.get_or_create(
        review=w.review, person=w.person, defaults={"kind": "meet_panel", "made_on": datetime.date(2024, 2, 1)}
    )[0]


def log_args(w: World) -> list:
    """The review, its log holding a contact and an offer."""
    _contact(w)
    _offer(w)
    return [w.review.pk]


def contact_args(w: World) -> list:
    return [w.review.pk, _contact(w).pk]


def offer_args(w: World) -> list:
    return [w.review.pk, _offer(w).pk]


def contact_data(w: World) -> dict:
    return {
        "person": w.person.pk,
        "contact_date": "2024-02-01",
        "method": "phone",
        "contacted_by": w.chair.pk,
        "advocate_organisation": "AAFDA",
        "what_they_said": "<p>They were not listened to.</p>",
    }


def offer_data(w: World) -> dict:
    return {"person": w.person.pk, "kind": "read_draft", "made_on": "2024-03-01", "response": "awaited"}


def pseudonym_args(w: World) -> list:
    """The review, with the relative who agrees the pseudonym in its register (made before the
    request, so that the request alone is what changes anything)."""
    from reviews.models import Person

    aunt = {"designation": "the victim's aunt", "relationship": "family_member"}
    Person.objects.get_or_create(review=w.review, real_name="Karen Doyle", defaults=aunt)
    return [w.review.pk]


def pseudonym_data(w: World) -> dict:
    from reviews.models import Person

    aunt = Person.objects.get(review=w.review, real_name="Karen Doyle")
    return {"subject": w.person.pk, "pseudonym": "Ayesha", "agreed_by": aunt.pk, "agreed_on": "2024-02-01"}


ROWS: list[Row] = [
    Row("reviews:family_log", "GET", log_args, expect(404, **READERS)),
    Row("reviews:family_contact_create", "GET", review_args, expect(404, **FORMS)),
    Row("reviews:family_contact_create", "POST", review_args, expect(404, **SAVED), data=contact_data),
    Row("reviews:family_contact_edit", "GET", contact_args, expect(404, **FORMS)),
    Row("reviews:family_contact_edit", "POST", contact_args, expect(404, **SAVED), data=contact_data),
    Row("reviews:family_contact_delete", "POST", contact_args, expect(404, **SAVED)),
    Row("reviews:family_offer_create", "GET", review_args, expect(404, **FORMS)),
    Row("reviews:family_offer_create", "POST", review_args, expect(404, **SAVED), data=offer_data),
    Row("reviews:family_offer_edit", "GET", offer_args, expect(404, **FORMS)),
    Row("reviews:family_offer_edit", "POST", offer_args, expect(404, **SAVED), data=offer_data),
    Row("reviews:family_offer_delete", "POST", offer_args, expect(404, **SAVED)),
    Row("reviews:family_pseudonym", "GET", review_args, expect(404, **FORMS)),
    Row("reviews:family_pseudonym", "POST", pseudonym_args, expect(404, **SAVED), data=pseudonym_data),
]
