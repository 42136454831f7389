"""Object-level access. One helper per object; each answers 404 for anything the user may
not read (so nobody learns that another board's review or another agency's IMR exists) and
403 for a write by someone who may only read.

The helpers that hand over personal data (the person register, an IMR's chronology and
narrative, the integrated chronology, the audit trail; documents in reports.permissions)
record it in the audit trail as they do, once per person, record and window
(``reviews.audit.audit_view``): a view cannot show any of these without the look being
recorded. Downloads are recorded by ``casereview.downloads``, each one."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from chronology.models import Clarification
from reviews.archived import ARCHIVED_MESSAGE, NOT_PROCEEDING_MESSAGE
from reviews.audit import audit_view
from reviews.models import Imr, KeyLineOfEnquiry, Partnership, PartnershipMembership, Person, Review, ReviewMembership

BOARD_ADMIN = "board_admin"
CHAIR = ReviewMembership.Role.CHAIR.value
PANEL = ReviewMembership.Role.PANEL.value
IMR_AUTHOR = ReviewMembership.Role.IMR_AUTHOR.value
ACTION_OWNER = ReviewMembership.Role.ACTION_OWNER.value


@dataclass(frozen=True)
class ReviewAccess:
    """What one user may do in one review, worked out once per request."""

    review: Review
    roles: frozenset[str]
    # The agencies whose IMR this user writes (an action owner's agency gives no IMR access).
    imr_author_agency_ids: frozenset[int] = frozenset()

    @property
    def is_archived(self) -> bool:
        """An archived review is read-only for everyone until a board administrator reopens it."""
        return self.review.archived_at is not None

    @property
    def is_not_proceeding(self) -> bool:
        """Closed by the partnership's decision not to hold a full review: read-only like an
        archived review until the decision is recorded again as proceeding."""
        return self.review.stage == Review.Stage.NOT_PROCEEDING

    @property
    def is_read_only(self) -> bool:
        return self.is_archived or self.is_not_proceeding

    @property
    def can_manage(self) -> bool:
        """Edit the review, its person register, memberships and IMR requests."""
        return bool(self.roles & {BOARD_ADMIN, CHAIR}) and not self.is_read_only

    @property
    def can_scope(self) -> bool:
        """Read the scoping record (the notification's circumstances, the agencies' answers)."""
        return bool(self.roles & {BOARD_ADMIN, CHAIR})

    @property
    def can_decide(self) -> bool:
        """Record the decision whether to hold a full review, again when it is closed as not proceeding."""
        return self.can_scope and not self.is_archived

    @property
    def can_discuss(self) -> bool:
        """Comment on and suggest changes to the review's documents: the panel, until archived."""
        return self.is_panel and not self.is_read_only

    @property
    def can_archive(self) -> bool:
        """Archive or reopen the review, and purge it when its retention date has passed."""
        return BOARD_ADMIN in self.roles

    @property
    def is_panel(self) -> bool:
        """Reads everything in the review (chair, panel member, board administrator)."""
        return bool(self.roles & {BOARD_ADMIN, CHAIR, PANEL})

    @property
    def can_read_register(self) -> bool:
        return self.is_panel

    @property
    def can_read_audit(self) -> bool:
        return bool(self.roles & {BOARD_ADMIN, CHAIR})

    def can_read_imr(self, imr: Imr) -> bool:
        """See that the IMR exists, its status and due date."""
        return self.is_panel or imr.agency_id in self.imr_author_agency_ids

    def is_imr_author_for(self, imr: Imr) -> bool:
        return imr.agency_id in self.imr_author_agency_ids

    def can_read_imr_content(self, imr: Imr) -> bool:
        """Read its chronology and narrative: the agency's own author always, the panel once
        the agency has submitted it (a draft is the agency's own until then)."""
        return self.is_imr_author_for(imr) or (self.is_panel and imr.status in Imr.SHARED_STATUSES)

    def can_edit_imr_content(self, imr: Imr) -> bool:
        """Change its chronology and narrative: the agency's author, until submission."""
        return self.is_imr_author_for(imr) and imr.is_editable and not self.is_read_only

    @property
    def role_labels(self) -> list[str]:
        labels = dict(ReviewMembership.Role.choices) | {BOARD_ADMIN: "Board administrator"}
        return [labels[role] for role in sorted(self.roles)]


def change_refused(access: ReviewAccess) -> PermissionDenied:
    """The 403 for a change this user may not make; on an archived or closed review it says why."""
    if access.is_archived:
        return PermissionDenied(ARCHIVED_MESSAGE)
    return PermissionDenied(NOT_PROCEEDING_MESSAGE if access.is_not_proceeding else "")


def imr_change_refused(access: ReviewAccess, imr: Imr) -> PermissionDenied:
    """The 403 for a change to an IMR's chronology or narrative: its own author is told that the
    IMR's state, not their role, stops it."""
    if access.is_imr_author_for(imr) and not imr.is_editable and not access.is_archived:
        return PermissionDenied(
            f"This IMR is {imr.get_status_display().lower()}: its chronology and narrative can no longer be changed. "
            "The chair can return it to your agency for clarification."
        )
    return change_refused(access)


def review_access_for_user(user: User, review: Review) -> ReviewAccess | None:
    """The user's access to ``review``, or None when they have no role in it."""
    if not user.is_authenticated or not user.is_active:
        return None
    roles: set[str] = set()
    author_agency_ids: set[int] = set()
    for role, agency_id in ReviewMembership.objects.filter(review=review, user=user).values_list("role", "agency_id"):
        roles.add(role)
        if role == IMR_AUTHOR:
            author_agency_ids.add(agency_id)
    if PartnershipMembership.objects.filter(
        user=user, partnership_id=review.partnership_id, role=PartnershipMembership.Role.BOARD_ADMIN
    ).exists():
        roles.add(BOARD_ADMIN)
    if not roles:
        return None
    return ReviewAccess(review=review, roles=frozenset(roles), imr_author_agency_ids=frozenset(author_agency_ids))


def review_get_for_user(user: User, pk: int, *, write: bool = False) -> ReviewAccess:
    """The review with the user's access to it: 404 without a role, 403 for a write
    without a managing role."""
    review = Review.objects.select_related("partnership").filter(pk=pk).first()
    access = review_access_for_user(user, review) if review else None
    if access is None:
        raise Http404("No such review")
    if write and not access.can_manage:
        raise change_refused(access)
    return access


def panel_get_for_user(user: User, review_pk: int, *, write: bool = False) -> ReviewAccess:
    """What belongs to the review's panel (its documents, meetings, clocks, integrated chronology,
    family log): read by the chair, panel members and board administrators, 404 for anyone else in
    the review; changed by the chair and board administrators, 403 for the rest of the panel."""
    access = review_get_for_user(user, review_pk)
    if not access.is_panel:
        raise Http404("No such review")
    if write and not access.can_manage:
        raise change_refused(access)
    return access


def scoping_get_for_user(user: User, pk: int, *, write: bool = False, decide: bool = False) -> ReviewAccess:
    """The review's scoping record: its chair's and board administrators' (404 for everyone
    else). ``write`` changes the notification or the agencies' information (403 once read-only);
    ``decide`` records the decision, which stays open on a review closed as not proceeding."""
    access = review_get_for_user(user, pk)
    if not access.can_scope:
        raise Http404("No such review")
    if (write and not access.can_manage) or (decide and not access.can_decide):
        raise change_refused(access)
    audit_view(actor=user, action="scoping.viewed", obj=access.review, review=access.review, object_repr="Scoping")
    return access


def register_read(user: User, access: ReviewAccess) -> bool:
    """Whether ``user`` may read the review's person register; when they may, the look is
    recorded (a page that shows the register calls this before showing it)."""
    if not access.can_read_register:
        return False
    audit_view(actor=user, action="person_register.viewed", obj=access.review, object_repr="Person register")
    return True


def register_get_for_user(user: User, review_pk: int, *, write: bool = False) -> ReviewAccess:
    """The person register is need-to-know: invisible to IMR authors and action owners."""
    access = review_get_for_user(user, review_pk)
    if not access.can_read_register:
        raise Http404("No such review")
    if write and not access.can_manage:
        raise change_refused(access)
    register_read(user, access)
    return access


def person_get_for_user(user: User, review_pk: int, pk: int, *, write: bool = False) -> tuple[ReviewAccess, Person]:
    access = register_get_for_user(user, review_pk, write=write)
    person = Person.objects.filter(review=access.review, pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return access, person


def imr_get_for_user(user: User, review_pk: int, pk: int, *, write: bool = False) -> tuple[ReviewAccess, Imr]:
    """An IMR: visible to the panel and to the IMR author of its own agency only."""
    access = review_get_for_user(user, review_pk)
    imr = Imr.objects.select_related("agency", "author").filter(review=access.review, pk=pk).first()
    if imr is None or not access.can_read_imr(imr):
        raise Http404("No such IMR")
    if write and not access.can_manage:
        raise change_refused(access)
    return access, imr


def imr_content_get_for_user(user: User, review_pk: int, pk: int, *, write: bool = False) -> tuple[ReviewAccess, Imr]:
    """An IMR's chronology and narrative: 404 for anyone who may not read them, 403 for a
    change by someone who may read but not change them (the panel, or the author once
    the IMR is submitted)."""
    access, imr = imr_get_for_user(user, review_pk, pk)
    if not access.can_read_imr_content(imr):
        raise Http404("No such IMR")
    if write and not access.can_edit_imr_content(imr):
        raise imr_change_refused(access, imr)
    imr_content_read(user, access, imr)
    return access, imr


def key_line_get_for_user(
    user: User, review_pk: int, imr_pk: int, pk: int, *, write: bool = False, history: bool = False
) -> tuple[ReviewAccess, Imr, KeyLineOfEnquiry]:
    """A key line of enquiry as one IMR's agency is asked it, with that IMR's answer: found under
    the IMR's content (404 for anyone who may not read it), and 404 for a line not asked of the
    IMR's agency (another agency's line). Writing is changing the content (403 once the author may
    no longer change it). ``history``: the answer's every version, its agency's authors' only."""
    from reviews.imr_narrative_services import key_lines_for_agency

    access, imr = imr_content_get_for_user(user, review_pk, imr_pk)
    key_line = key_lines_for_agency(imr.review_id, imr.agency_id).filter(pk=pk).first()
    if key_line is None or (history and not access.is_imr_author_for(imr)):
        raise Http404("No such key line of enquiry")
    if write and not access.can_edit_imr_content(imr):
        raise imr_change_refused(access, imr)
    return access, imr, key_line


def retention_get_for_user(user: User, pk: int) -> ReviewAccess:
    """A review, to archive it, open it again or purge its personal data: 404 for anyone with no
    part in it, 403 for anyone who may not archive it."""
    access = review_get_for_user(user, pk)
    if not access.can_archive:
        raise PermissionDenied
    return access


def clarification_get_for_user(
    user: User, review_pk: int, imr_pk: int, pk: int, *, write: bool = False
) -> tuple[ReviewAccess, Imr, Clarification]:
    """A question asked about an IMR's chronology: found under the IMR's content (404 for anyone
    who may not read it, or for another IMR's question); answering it is a change to the
    content (403 once the author may no longer change it)."""
    access, imr = imr_content_get_for_user(user, review_pk, imr_pk)
    clarification = Clarification.objects.filter(imr=imr, pk=pk).first()
    if clarification is None:
        raise Http404("No such question")
    if write and not access.can_edit_imr_content(imr):
        raise imr_change_refused(access, imr)
    return access, imr, clarification


def imr_content_read(user: User, access: ReviewAccess, imr: Imr) -> bool:
    """Whether ``user`` may read the IMR's chronology and narrative; when they may, the look
    is recorded (the IMR's page calls this before showing them)."""
    if not access.can_read_imr_content(imr):
        return False
    audit_view(actor=user, action="imr.viewed", obj=imr, review=access.review)
    return True


def membership_get_for_user(
    user: User, review_pk: int, pk: int, *, write: bool = False
) -> tuple[ReviewAccess, ReviewMembership]:
    access = review_get_for_user(user, review_pk)
    if not access.is_panel:
        raise Http404("No such membership")
    membership = ReviewMembership.objects.select_related("user", "agency").filter(review=access.review, pk=pk).first()
    if membership is None:
        raise Http404("No such membership")
    if write and not access.can_manage:
        raise change_refused(access)
    return access, membership


def partnership_get_for_user(user: User, pk: int) -> Partnership:
    """A partnership, for its board administrators only."""
    partnership = Partnership.objects.filter(
        pk=pk, memberships__user=user, memberships__role=PartnershipMembership.Role.BOARD_ADMIN
    ).first()
    if partnership is None or not user.is_active:
        raise Http404("No such partnership")
    return partnership


def partnerships_administered_by(user: User):
    return Partnership.objects.filter(
        memberships__user=user, memberships__role=PartnershipMembership.Role.BOARD_ADMIN
    ).distinct()


def review_create_partnerships(user: User):
    """The partnerships in which ``user`` may open a review (those they administer); 403 when
    there are none."""
    partnerships = partnerships_administered_by(user)
    if not partnerships.exists():
        raise PermissionDenied
    return partnerships


def audit_get_for_user(user: User, review_pk: int) -> ReviewAccess:
    """The review's audit trail, for its chair and board administrators (403 for the rest of
    its members); reading it is itself recorded."""
    access = review_get_for_user(user, review_pk)
    if not access.can_read_audit:
        raise PermissionDenied
    audit_view(actor=user, action="audit.viewed", obj=access.review, object_repr="Audit trail")
    return access


def partnership_audit_get_for_user(user: User, pk: int) -> Partnership:
    """The board's audit trail, for its board administrators; reading it is itself recorded."""
    partnership = partnership_get_for_user(user, pk)
    audit_view(actor=user, action="audit.viewed", obj=partnership, object_repr="Audit trail")
    return partnership


def integrated_get_for_user(user: User, review_pk: int, *, write: bool = False) -> ReviewAccess:
    """The integrated chronology is the panel's: chair, panel members and board administrators
    read it; the chair and board administrators build it and decide on its links."""
    access = panel_get_for_user(user, review_pk, write=write)
    audit_view(
        actor=user, action="integrated_chronology.viewed", obj=access.review, review=access.review,
        object_repr="Integrated chronology",
    )  # fmt: skip
    return access
