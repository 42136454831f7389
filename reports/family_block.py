"""The ``[[data:family]]`` block: the family involvement log (reviews.family_models) as the
"Involvement of family" section of the overview report prints it.

It speaks of people by designation only, never by a real name, and keeps to what each of them
agreed: someone is named by their designation only when their latest contact records their
consent to be named (otherwise "a family member", "a friend or neighbour"...), and nothing they said is quoted
unless a contact records their consent to be quoted. The advocate is named by organisation only.
Like every block it is then composed as any other text: for a publication version, registered
names left in what someone said are replaced by designations and the publication check runs."""

from __future__ import annotations

import html as htmllib

from reports import richtext
from reviews.family_models import FamilyContact, FamilyOffer
from reviews.family_selectors import FamilyLog, family_log
from reviews.models import Person

# How the report speaks of someone who did not agree to be named, by their place in the register.
UNNAMED = {
    Person.Relationship.FAMILY_MEMBER: "a family member",
    Person.Relationship.FRIEND: "a friend or neighbour",
    Person.Relationship.PARTNER: "a partner or former partner",
    Person.Relationship.CHILD: "a child of the family",
    Person.Relationship.PROFESSIONAL: "someone who worked with the subject",
    # The perpetrator is "the perpetrator" in every review: no more than the report says anyway.
    Person.Relationship.PERPETRATOR: "the perpetrator",
}
UNNAMED_OTHER = "someone who knew the subject"


def _e(value: object) -> str:
    return htmllib.escape(str(value), quote=False)


def _month(value) -> str:
    return f"{value:%B %Y}"


def _named(log: FamilyLog) -> set[int]:
    """The people whose latest contact records their consent to be named by their designation
    (consent given can be withdrawn: the latest answer stands)."""
    latest = {contact.person_id: contact.consent_to_be_named for contact in log.contacts}  # in date order
    return {person_id for person_id, consent in latest.items() if consent}


def _who(person: Person, named: set[int]) -> str:
    if person.pk in named:
        return person.designation
    return UNNAMED.get(person.relationship, UNNAMED_OTHER)  # type: ignore[call-overload]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _contacts_table(log: FamilyLog, named: set[int]) -> str:
    rows = []
    for contact in log.contacts:
        advocate = contact.advocate_organisation or ("An advocate" if contact.advocate_name else "None")
        cells = [_month(contact.contact_date), _capital(_who(contact.person, named)),
                 contact.get_method_display(), advocate]  # fmt: skip
        rows.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in cells) + "</tr>")
    head = "".join(f"<th>{_e(h)}</th>" for h in ("When", "Who", "How", "Advocate"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _quotes(log: FamilyLog, named: set[int]) -> str:
    """What each person who agreed to be quoted said, and what the review did with it."""
    out = []
    for contact in log.contacts:
        if not contact.consent_to_be_quoted or not richtext.plain_text(contact.what_they_said).strip():
            continue
        out.append(
            f"<p>{_e(_capital(_who(contact.person, named)))} told the review "
            f"({_e(contact.get_method_display().lower())}, {_e(_month(contact.contact_date))}):</p>"
        )
        out.append(f"<blockquote>{_blockquote_body(contact)}</blockquote>")
        if contact.review_response.strip():
            out.append(f"<p>What the review did: {_e(' '.join(contact.review_response.split()))}</p>")
    return "".join(out)


def _blockquote_body(contact: FamilyContact) -> str:
    """The words as saved (sanitised rich text), block by block; a quote holds no headings."""
    return "".join(
        f"<p>{_e(block.text)}</p>" if block.tag.startswith("h") else block.html
        for block in richtext.blocks(contact.what_they_said)
    )


def _offer_sentence(offer: FamilyOffer, named: set[int]) -> str:
    what = offer.what[:1].lower() + offer.what[1:]
    answer = offer.get_response_display().lower()
    when = f" in {_month(offer.response_date)}" if offer.response_date else ""
    return f"In {_month(offer.made_on)}, {_who(offer.person, named)} was invited to {what}: {answer}{when}."


def family_block_html(review) -> str:
    """The block's HTML: the pseudonym, the contacts, what was said (with consent) and the offers."""
    log = family_log(review)
    if log.is_empty:
        return "<p>No contact with the family, friends, colleagues or neighbours is recorded yet.</p>"
    named = _named(log)
    out = []
    if log.pseudonym is not None:
        out.append(
            f"<p>The family chose the name “{_e(log.pseudonym.pseudonym)}”, which this report uses "
            f"({_e(_who(log.pseudonym.agreed_by, named))} agreed it in {_e(_month(log.pseudonym.agreed_on))}).</p>"
        )
    if log.contacts:
        out.append(_contacts_table(log, named))
        out.append(_quotes(log, named))
    if log.offers:
        out.append("<ul>" + "".join(f"<li>{_e(_offer_sentence(o, named))}</li>" for o in log.offers) + "</ul>")
    return "".join(out)


def family_block_state(review) -> list:
    """What the block reads, for the render fingerprint: a change to the log makes renders stale."""
    log = family_log(review)
    return [
        [(c.pk, c.person_id, c.person.designation, c.person.relationship, c.contact_date.isoformat(), c.method,
          c.advocate_organisation, c.advocate_name != "", c.consent_to_be_named, c.consent_to_be_quoted,
          c.what_they_said, c.review_response) for c in log.contacts],
        [(o.pk, o.person_id, o.person.designation, o.kind, o.description, o.made_on.isoformat(), o.response,
          o.response_date.isoformat() if o.response_date else "") for o in log.offers],
        [log.pseudonym.pseudonym, log.pseudonym.agreed_by.designation, log.pseudonym.agreed_on.isoformat()]
        if log.pseudonym else [],
    ]  # fmt: skip
