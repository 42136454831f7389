"""The demo DHR's family involvement log, drawn from seed 002's section 2 (the family's
involvement in the review, the information they gave and their views), adapted to the demo's
invented people. Loaded through the services, as the chair would record it; loaded once."""

from __future__ import annotations

from datetime import date

from accounts.models import User
from reviews.family_models import FamilyContact, FamilyOffer
from reviews.family_services import ContactDetails, OfferDetails, family_contact_add, family_offer_add
from reviews.models import Person, Review

ADVOCATES = "AAFDA (Advocacy After Fatal Domestic Abuse) and the National Homicide Service"

# (designation, date, method, advocate, named, quoted, what they said, what the review did)
CONTACTS = [
    (
        "the victim's mother",
        date(2012, 11, 28),
        "letter",
        "",
        True,
        False,
        "<p>Replying to the Chair's letter, delivered by hand by the police Family Liaison Officer with "
        "leaflets on advocacy and victim support, Susan Marsh asked to meet the Chair once the criminal trial "
        "was over and to contribute to the Review.</p>",
        "The Chair agreed to meet the family as soon as the criminal proceedings had concluded.",
    ),
    (
        "the victim's mother",
        date(2013, 2, 7),
        "meeting",
        ADVOCATES,
        True,
        True,
        "<p>Jade would only say what Daniel Rafiq allowed her to say at the child protection conference and "
        "the core group meetings. He controlled and intimidated her, and we went with her to the meetings "
        "because we feared for her safety arriving and leaving.</p>"
        "<p>When I rang Children's Social Care and the social worker was not there, the duty officer did not "
        "know what to do, so we phoned the police.</p>"
        "<p>The police and Children's Social Care should focus less on Jade as just the mother of the children, "
        "see the picture as a whole and focus their work on controlling the perpetrators of violence and "
        "abuse.</p>",
        "The panel asked the Children's Social Care and West Midlands Police IMR authors how the family's "
        "reports were handled, and added the sharing of the perpetrator's history with the victim and her "
        "family to the analysis.",
    ),
    (
        "the victim's aunt",
        date(2013, 2, 7),
        "meeting",
        ADVOCATES,
        True,
        False,
        "<p>At one of the meetings Karen Doyle asked the social worker to check whether Daniel Rafiq was "
        "carrying a knife, and was told that if Jade was fearful she must report this herself.</p>",
        "Put to the Children's Social Care IMR author; the analysis of the core group meetings takes it up.",
    ),
    (
        "the victim's mother",
        date(2013, 7, 10),
        "meeting",
        "",
        True,
        True,
        "<p>Our concerns were minimised all along and we were not listened to. We hope the Review stops any "
        "other woman going through the same.</p>",
        "The report was changed after the meeting, before it went to the BCSP DHR Steering Group.",
    ),
]
# (designation, kind, description, made on, response, response date, note)
OFFERS = [
    ("the victim's father", "meet_chair", "", date(2012, 11, 28), "declined", date(2013, 1, 25),
     "He declined to take part, saying that it was too late."),
    ("the perpetrator", "other", "Contribute to the Review from prison", date(2013, 1, 21), "no_response", None,
     "Letters were sent to him in prison; no response was received."),
    ("the victim's mother", "read_draft", "", date(2013, 6, 20), "accepted", date(2013, 6, 28),
     "The final report was shared with the family at a meeting in July 2013."),
]  # fmt: skip


def demo_family_load(reference: str, *, chair: User) -> list[str]:
    """The log of the demo DHR, unless it has one already (the demo loads again safely)."""
    review = Review.objects.get(reference=reference, memberships__user=chair, memberships__role="chair")
    if FamilyContact.objects.filter(review=review).exists() or FamilyOffer.objects.filter(review=review).exists():
        return [f"{review.reference}: the family involvement log is already loaded"]
    people = {person.designation: person for person in Person.objects.filter(review=review)}
    for designation, day, method, advocate, named, quoted, said, response in CONTACTS:
        family_contact_add(
            actor=chair,
            review=review,
            person=people[designation],
            details=ContactDetails(
                contact_date=day, method=method, contacted_by=chair, advocate_organisation=advocate,
                consent_to_be_named=named, consent_to_be_quoted=quoted, what_they_said=said,
                review_response=response,
            ),
        )  # fmt: skip
    for designation, kind, description, made_on, answer, answered_on, note in OFFERS:
        family_offer_add(
            actor=chair,
            review=review,
            person=people[designation],
            offer=OfferDetails(kind, made_on, answer, answered_on, description, note),
        )
    return [f"{review.reference}: family involvement log loaded ({len(CONTACTS)} contacts, {len(OFFERS)} offers)"]
