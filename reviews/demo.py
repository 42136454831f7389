"""Builds the demo: two published reviews from the seed documents, in two partnerships,
with one demo user per role. Everything goes through the services, so the demo has an
audit trail like real work does."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.demo import demo_mfa_device
from accounts.models import User
from actions.demo import demo_action_plans
from chronology import services as chronology_services
from chronology.exports.published import EntryToPublish, PublishedEntries
from chronology.importers import parse_chronology_file
from chronology.integrated import services as integrated
from chronology.models import ChronologyEntry
from reports import demo as reports_demo
from reports.demo_family_reader import demo_family_reader_load
from reviews import demo_data, imr_services, review_services, services
from reviews.demo_family import demo_family_load
from reviews.demo_meetings import demo_meetings_load
from reviews.demo_scoping import demo_scoping_load
from reviews.imr_narrative_services import key_lines_for_agency
from reviews.models import Agency, Imr, Notification, Partnership, Review, ReviewMembership
from reviews.publication import publication_for_review
from reviews.publication_services import publication_redact_entry_field

DEMO_PASSWORD = "casereview-demo"
DEMO_EMAIL_DOMAIN = "demo.casereview.invalid"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    job_title: str


# Invented people; the seeds' own panel appears by job title beside them.
DEMO_USERS = [
    DemoUser("chair", "Alex", "Morgan", "Independent Chair and Overview Author"),
    DemoUser("panel", "Priya", "Shah", "Senior Service Manager for Violence Against Women"),
    DemoUser("police", "Rob", "Ellis", "Detective Sergeant, Public Protection Unit"),
    DemoUser("socialcare", "Nadia", "Khan", "Practice Manager, Children's Social Care"),
    DemoUser("boardadmin", "Sam", "Taylor", "Domestic Homicide Review Co-ordinator"),
    DemoUser("owner", "Chris", "Walker", "Inspector, Public Protection Unit"),
    DemoUser("gp", "Helen", "Okafor", "Named GP for Safeguarding, Birmingham and Solihull NHS Cluster"),
    # The victim's mother, invited by the chair to read the DHR's draft (reports.demo_family_reader).
    DemoUser("family", "Susan", "Marsh", ""),
]

DHR_REFERENCE = "BDHR2012/13-04"
CHRONOLOGIES = Path(__file__).parent / "demo_chronologies"
# The agency chronologies of the DHR, from the seed's account of what each agency knew.
CHRONOLOGY_FILES = {
    demo_data.BHAM_POLICE: "police.csv",
    demo_data.BHAM_CSC: "childrens_social_care.csv",
    demo_data.BHAM_WA: "womens_aid.csv",
    demo_data.BHAM_HOUSING: "housing.csv",
    demo_data.BHAM_BCHC: "community_health.csv",
    demo_data.BHAM_BWH: "maternity.csv",
    demo_data.BHAM_CLUSTER: "gp.csv",
    demo_data.BHAM_NURSERY: "nursery.csv",
}


def _demo_user(spec: DemoUser) -> User:
    user, _ = User.objects.update_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "job_title": spec.job_title,
            "email": f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
            "is_active": True,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    demo_mfa_device(user)
    return user


def _panel_account(name: str, job_title: str) -> User:
    """An account for a panel member the seed names only by job title: it cannot sign in."""
    username = f"panel-{slugify(name)}"[:150]
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": name, "job_title": job_title, "email": f"{username}@{DEMO_EMAIL_DOMAIN}"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _advance_imr(imr: Imr, spec: dict, *, chair: User, author: User | None) -> None:
    """Take a requested IMR through the real workflow to the state the demo shows it in."""
    status = spec["status"]
    filename = CHRONOLOGY_FILES.get(imr.agency.name)
    if status == Imr.Status.NIL_RETURN:
        imr_services.imr_nil_return(
            actor=author,
            imr=imr,
            reason="Brief information report only: one conveyance to hospital, no other contact. "
            "The panel required no further review.",
        )
    elif filename is None:
        # The older review's IMRs reached the panel on paper, before casereview.
        if status == Imr.Status.ACCEPTED:
            imr_services.imr_accept_received(actor=chair, imr=imr)
    elif status != Imr.Status.REQUESTED:
        result = parse_chronology_file((CHRONOLOGIES / filename).read_bytes(), filename=filename)
        chronology_services.chronology_import(actor=author, imr=imr, result=result, replace=True)
        if status != Imr.Status.IN_PROGRESS:
            _submit(imr, spec, chair=chair, author=author, entry_count=len(result.rows))
    # The seed's IMRs arrived when the review did, not today.
    if imr.due_date:
        submitted = datetime.datetime.combine(imr.due_date, datetime.time(16, 0), tzinfo=datetime.UTC)
        Imr.objects.filter(pk=imr.pk, submitted_at__isnull=False).update(submitted_at=submitted)
        Imr.objects.filter(pk=imr.pk, accepted_at__isnull=False).update(
            accepted_at=submitted + datetime.timedelta(days=12)
        )


def _submit(imr: Imr, spec: dict, *, chair: User, author: User | None, entry_count: int) -> None:
    imr_services.imr_narrative_save(
        actor=author,
        imr=imr,
        answers={
            line.pk: f"{imr.agency.name} answers this line of enquiry in its IMR report, drawing on the "
            f"{entry_count} contacts in its chronology."
            for line in key_lines_for_agency(imr.review_id, imr.agency_id)
        },
        recommendations=[],
    )
    managers = demo_data.SIGNING_OFF_MANAGERS
    manager = managers[Imr.objects.filter(review=imr.review, pk__lt=imr.pk).count() % len(managers)]
    imr_services.imr_submit(
        actor=author, imr=imr, signing_off_manager=manager, signing_off_manager_role="Head of Safeguarding"
    )
    if spec.get("question"):
        imr_services.imr_return(actor=chair, imr=imr, question=spec["question"], entry_questions={})
        if not spec.get("answer"):
            return
        question = imr.clarifications.get()
        imr_services.clarification_respond(actor=author, clarification=question, response=spec["answer"])
        imr_services.imr_submit(actor=author, imr=imr)
    if spec["status"] == Imr.Status.ACCEPTED:
        imr_services.imr_accept(actor=chair, imr=imr)


@transaction.atomic
def demo_load() -> list[str]:
    """Load the demo; safe to run again (what exists is kept). Returns what it did, line by line."""
    report: list[str] = []
    users = {spec.username: _demo_user(spec) for spec in DEMO_USERS}
    admin = users["boardadmin"]

    partnerships: dict[str, Partnership] = {}
    for spec in demo_data.PARTNERSHIPS:
        partnership = Partnership.objects.filter(slug=spec["slug"]).first() or services.partnership_create(
            actor=None, name=spec["name"], kind=spec["kind"], slug=spec["slug"]
        )
        partnerships[spec["slug"]] = partnership
        for agency_spec in demo_data.AGENCIES[spec["slug"]]:
            if not Agency.objects.filter(partnership=partnership, name=agency_spec["name"]).exists():
                services.agency_create(actor=None, partnership=partnership, **agency_spec)
    services.partnership_admin_add(actor=None, partnership=partnerships["birmingham-csp"], user=admin)
    services.partnership_admin_add(
        actor=None,
        partnership=partnerships["bournemouth-poole-lscb"],
        user=_panel_account("LSCB Business Manager", "Board administrator"),
    )

    for spec in demo_data.REVIEWS:
        partnership = partnerships[spec["partnership"]]
        if Review.objects.filter(partnership=partnership, reference=spec["reference"]).exists():
            report.append(f"{spec['reference']} is already loaded")
            continue
        actor = admin if partnership.slug == "birmingham-csp" else None
        review = review_services.review_create(
            actor=actor,
            partnership=partnership,
            reference=spec["reference"],
            review_type=spec["review_type"],
            case_name=spec["case_name"],
            incident_date=spec["incident_date"],
            notification_date=spec["notification_date"],
            decision_date=spec["decision_date"],
            scope_start=spec["scope_start"],
            scope_end=spec["scope_end"],
            terms_of_reference=spec["terms_of_reference"],
            key_lines=spec["key_lines_of_enquiry"],
            stage=spec["stage"],
        )
        _load_review_people(review, spec, users, actor)
        if review.reference == DHR_REFERENCE:
            _entry_decisions(review, users["chair"])
        reports_demo.review_documents_load(review, chair=users["chair"], panel=users["panel"])
        report.append(f"Loaded {review.reference}: {review.case_name}")
    report += demo_action_plans(chair=users["chair"], board_admin=admin, owner=users["owner"])
    report += demo_meetings_load(DHR_REFERENCE, chair=users["chair"], panel=users["panel"], police=users["police"])
    report += demo_family_load(DHR_REFERENCE, chair=users["chair"])
    report += demo_scoping_load(DHR_REFERENCE, chair=users["chair"])
    report += demo_family_reader_load(DHR_REFERENCE, chair=users["chair"], reader=users["family"])
    # The demo's history happened long ago: nobody is emailed about it now.
    Notification.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())
    return report


def _entry_decisions(review: Review, chair: User) -> None:
    """The chair's decisions on what the publication check finds in the agencies' entries, as a
    designations export would publish them: the health agencies recorded the children's births
    on the day and wrote their dates of birth into the new-birth visits. Each birth is published
    to its month and each visit's details redacted, with the chair's reason."""

    run = publication_for_review(review)
    published = PublishedEntries(run)
    # In the integrated chronology's order (PRODUCT.md section 3), so a decision's label names the
    # entry by the number the chair sees there.
    entries = (
        ChronologyEntry.objects.filter(imr__review=review)
        .select_related("imr__agency")
        .order_by("date_start", "date_end", "time", "imr__agency__name", "position")
    )
    for number, entry in enumerate(entries, start=1):
        published.entry(
            EntryToPublish(
                seq=number,
                agency_id=entry.imr.agency_id,
                agency_name=entry.imr.agency.name,
                date_start=entry.date_start,
                date_end=entry.date_end,
                precision=entry.precision,
                date_display=entry.date_display,
                people=entry.people,
                source=entry.source,
                practitioner=entry.practitioner,
                event=entry.event,
                details=entry.details,
                outcome=entry.outcome,
                comment=entry.comment,
            )
        )
    reasons = {
        "date": "A birth recorded on the day it happened: its date is a date of birth.",
        "details": "The agency's note gives the child's date of birth.",
    }
    for finding in run.blocking:
        field = finding.where.scope.rsplit(":", 1)[-1]
        if finding.kind == "date of birth" and field in reasons:
            publication_redact_entry_field(review=review, finding=finding, reason=reasons[field], actor=chair)


def _key_lines_address(review: Review, agencies: dict[str, Agency], actor: User | None) -> None:
    """A key line that names an agency ("West Midlands Police: …") is asked of that agency only."""
    chosen = {}
    for line in review.key_lines.all():
        prefix = line.text.split(":", 1)[0] if ":" in line.text else ""
        name = demo_data.KEY_LINE_AGENCIES.get(prefix)
        if name in agencies:
            chosen[line.pk] = [agencies[name].pk]
    if chosen:
        review_services.key_lines_address(actor=actor, review=review, chosen=chosen)


def _load_review_people(review: Review, spec: dict, users: dict[str, User], actor: User | None) -> None:
    agencies = {agency.name: agency for agency in Agency.objects.filter(partnership=review.partnership)}
    role = ReviewMembership.Role

    def member(user: User, member_role: str, agency: Agency | None = None) -> None:
        services.membership_add(actor=actor, review=review, user=user, role=member_role, agency=agency, notify=False)

    chair_entry, *others = spec["panel"]
    member(users["chair"], role.CHAIR)
    for entry in others:
        member(_panel_account(entry["name"], entry["role_title"]), role.PANEL)

    authors: dict[str, User] = {}
    if review.reference == DHR_REFERENCE:
        police, social_care = demo_data.BHAM_POLICE, demo_data.BHAM_CSC
        member(users["panel"], role.PANEL)
        member(users["police"], role.IMR_AUTHOR, agencies[police])
        member(users["socialcare"], role.IMR_AUTHOR, agencies[social_care])
        member(users["owner"], role.ACTION_OWNER, agencies[police])
        member(users["gp"], role.IMR_AUTHOR, agencies[demo_data.BHAM_CLUSTER])
        authors = {
            police: users["police"],
            social_care: users["socialcare"],
            demo_data.BHAM_CLUSTER: users["gp"],
        }

    _key_lines_address(review, agencies, actor)
    for imr_spec in spec["imrs"]:
        imr = services.imr_request(
            actor=actor,
            review=review,
            agency=agencies[imr_spec["agency"]],
            due_date=imr_spec["due_date"],
            author=authors.get(imr_spec["agency"]),
            notify_authors=False,
        )
        _advance_imr(imr, imr_spec, chair=users["chair"], author=authors.get(imr_spec["agency"]))
    for episode in spec.get("episodes", []):
        assert actor is not None  # the review with key episodes is one its board administrator opened
        integrated.episode_add(actor=actor, review=review, **episode)
    for person in spec["people"]:
        services.person_add(
            actor=actor,
            review=review,
            real_name=person["real_name"],
            designation=person["designation"],
            aliases=person["aliases"],
            date_of_birth=person["dob"],
            relationship=person["relationship"],
            confirmed_names=person.get("always", ()),
        )
    if review.reference == DHR_REFERENCE:
        # Built by the task once the demo is committed, as the chair's button does.
        integrated.integrated_request(actor=users["chair"], review=review)
