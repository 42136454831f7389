"""The demo reviews' front matter: who wrote each report and how the panel lists its members.

Seed 002's cover reads "Report produced by Birgitta Lundberg, Independent Chair and Author"; the
demo's chair is Alex Morgan, so the DHR's author is the chair. Seed 000 names no author: the
SCR's is invented (assumed). Each panel member's role is the job title and agency the seed lists
them by (reviews.demo_data, "panel")."""

from __future__ import annotations

from reviews import demo_data, services
from reviews.models import Review, ReviewMembership

REPORT_AUTHORS = {
    "BDHR2012/13-04": "Alex Morgan",  # as seed 002: the independent chair wrote the report
    "BPSCR-FamilyB": "Ruth Ellery, independent overview author",  # assumed: seed 000 names no author
}


def _panel_roles(spec: dict) -> dict[str, str]:
    """The role each panel account is listed with, by the account's name (its first name: the
    seed's job title)."""
    roles = {}
    for entry in spec["panel"][1:]:
        name, agency = entry["name"], entry["agency"]
        roles[name] = f"{name}, {agency}" if agency else name
    return roles


def front_load(review: Review) -> None:
    """Set the report's author and the panel's roles, once (an edited value is kept)."""
    spec = next((s for s in demo_data.REVIEWS if s["reference"] == review.reference), None)
    if spec is None:
        return
    if not review.report_author and review.reference in REPORT_AUTHORS:
        review.report_author = REPORT_AUTHORS[review.reference]
        review.save(update_fields=["report_author"])
    roles = _panel_roles(spec)
    chair_role = spec["panel"][0]["role_title"]
    members = review.memberships.filter(
        role__in=[ReviewMembership.Role.CHAIR, ReviewMembership.Role.PANEL], panel_role=""
    ).select_related("user")
    for membership in members:
        user = membership.user
        if membership.role == ReviewMembership.Role.CHAIR:
            role = chair_role
        else:
            role = roles.get(user.first_name) if not user.last_name else user.job_title
        if role:
            services.membership_panel_role_set(actor=None, membership=membership, panel_role=role)
