"""The demo's action plans: the recommendations of the two seed documents, with actions in
every status and RAG, so the board dashboard, the agency view and the exports have
something real to show. Target dates are set relative to the day the demo is loaded, so
"overdue" means overdue whenever it is loaded. Everything goes through the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TypedDict

from django.utils import timezone

from accounts.models import User
from actions import services
from actions.models import Action, Theme
from reviews import clocks, demo_data
from reviews.models import Agency, Review, ReviewMembership


class DemoRecommendation(TypedDict):
    text: str
    agencies: list[str]
    theme: str
    expected_outcome: str
    actions: list[tuple[str, str, int, str]]


# The recommendations of the Birmingham DHR (seed 002, section 6.1), each with its expected
# outcome, and the actions its sub-recommendations became. (lead agency, action, days from
# today to the target date, status) — the statuses cover every one the product knows.
BDHR_RECOMMENDATIONS: list[DemoRecommendation] = [
    {
        "text": (
            "A working group should be jointly established by the BCSP and the BSCB consisting of representatives "
            "from the core agencies of both, including domestic violence service users and/or surviving family "
            "members, to break down the boundaries between adult focussed and children focussed services where "
            "there are concerns of domestic violence, and to develop proposals to improve safe services for adults "
            "and children. Cross representation between the BSCB and the BCSP should be reviewed to ensure an "
            "active and up to date exchange of developments, cooperation and joint working at all levels."
        ),
        "agencies": [demo_data.BHAM_BCSP, demo_data.BHAM_CSC],
        "theme": "Think family: adult and children's services",
        "expected_outcome": (
            "An improvement in the practice of agencies working together to undertake assessments and share "
            "information where there is a domestic violence victim and children; an improvement in agency "
            "attendance at key meetings, such as child protection conferences, and safe management of child "
            "protection meetings for the victims."
        ),
        "actions": [
            (
                demo_data.BHAM_BCSP,
                "Establish the joint BCSP and BSCB working group, with service users.",
                -200,
                "assured",
            ),
            (demo_data.BHAM_CSC, "Review cross representation between the BSCB and the BCSP.", -60, "complete"),
        ],
    },
    {
        "text": (
            "The use and the application of risk assessment tools such as DASH should be carefully examined by the "
            "police and partner agencies including the current linked training in the light of the findings of "
            "this Review, with a regular quality assurance process. The police should produce and disseminate a "
            "briefing for partner agencies of the purpose and best practice of using the tool in domestic violence "
            "and abuse referrals."
        ),
        "agencies": [demo_data.BHAM_POLICE, demo_data.BHAM_WA],
        "theme": "Domestic abuse risk assessment",
        "expected_outcome": (
            "An improvement in the practice of using the risk assessment tool by the police leading to a better "
            "decision making process to follow up prosecutions; a better understanding of risk assessment by "
            "partner agencies to inform their practice in making referrals to the MARAC."
        ),
        "actions": [
            (
                demo_data.BHAM_POLICE,
                "Examine the use of DASH and its training; set up quarterly quality assurance.",
                45,
                "on_track",
            ),
            (demo_data.BHAM_POLICE, "Produce and circulate a DASH briefing for partner agencies.", -10, "on_track"),
        ],
    },
    {
        "text": (
            "A review should urgently be undertaken of the protocol between the police and the children's "
            "Independent Conference Service to confirm that all child protection conferences, where domestic "
            "violence and abuse are a known or suspected issue, will have police representation with up to date "
            "information about the alleged perpetrator. Regular audits should track police attendance and report "
            "to the BSCB. The BSCB and the conference chairing service should review and update the guidance and "
            "training for Conference Chairs on the safe management of domestic abuse and violence."
        ),
        "agencies": [demo_data.BHAM_POLICE, demo_data.BHAM_CSC],
        "theme": "Multi-agency working",
        "expected_outcome": (
            "Child protection conferences and child protection plans should reflect the safe management of cases "
            "involving domestic violence and abuse. Police presence at child protection conferences should be "
            "taking place where there are concerns about domestic abuse and violence as a matter of routine."
        ),
        "actions": [
            (
                demo_data.BHAM_POLICE,
                "Review the conference attendance protocol with the Conference Service.",
                20,
                "at_risk",
            ),
            (
                demo_data.BHAM_CSC,
                "Audit police attendance at conferences each quarter and report to the BSCB.",
                25,
                "not_started",
            ),
            (
                demo_data.BHAM_CSC,
                "Update the Conference Chairs' guidance and training on domestic abuse.",
                -30,
                "overdue",
            ),
        ],
    },
    {
        "text": (
            "An analysis of current domestic violence training should be undertaken by the agencies participating "
            "in this Review to establish that it addresses the findings of this Domestic Homicide Review. The "
            "commissioning process for domestic violence and abuse training should be reviewed and draw on the "
            "joint expertise of interagency trainers in adult domestic violence and safeguarding children."
        ),
        "agencies": [demo_data.BHAM_WA, demo_data.BHAM_BCSP],
        "theme": "Training and workforce development",
        "expected_outcome": (
            "Better practice should be in evidence in assessments and decision making, such as police charging "
            "decisions, and at key meetings, such as child protection conferences, and should be regularly audited "
            "by the relevant agency."
        ),
        "actions": [
            (
                demo_data.BHAM_WA,
                "Analyse each agency's domestic violence training against the findings.",
                90,
                "on_track",
            ),
            (
                demo_data.BHAM_BCSP,
                "Review the commissioning of domestic violence and abuse training.",
                150,
                "not_started",
            ),
        ],
    },
    {
        "text": (
            "A briefing 'awareness raising' launch and dissemination program should be implemented across all member "
            "agencies of both the BSCB and the BCSP to embed the change in the definition and to underpin the "
            "learning from this Domestic Homicide Review."
        ),
        "agencies": [demo_data.BHAM_BCSP],
        "theme": "Policy and procedure",
        "expected_outcome": (
            "That all agencies become aware of the updated definition with the inclusion of 16 and 17 year olds and "
            "that they update their own internal policies, procedures and training accordingly."
        ),
        "actions": [
            (
                demo_data.BHAM_BCSP,
                "Run the awareness-raising launch on the new definition of domestic abuse.",
                -20,
                "complete",
            ),
        ],
    },
]

# The 14 overview report recommendations of the Family B serious case review (seed 000,
# section 5), with the agency that leads the action (assumed where the seed names none).
BPSCR_RECOMMENDATIONS = [
    (
        "The Executive Summary should be fed into the Pan Dorset Adult Protection Group in order for their "
        "procedures to be scrutinised and any gaps identified, in particular the lack of referral pathway between "
        "Child Protection/Safeguarding and Adult Protection.",
        demo_data.BP_ASC,
        "Think family: adult and children's services",
        "regional",
        "assured",
    ),
    (
        "There should be an agreed structure relating to the sharing of Adult/Child Protection Serious Case Reviews.",
        demo_data.BP_ASC,
        "Policy and procedure",
        "regional",
        "assured",
    ),
    (
        "When any agency receives information of public protection concerns and threats to harm, they have a "
        "responsibility to share that information with in their own and other agencies.",
        demo_data.BP_POLICE,
        "Information sharing",
        "local",
        "complete",
    ),
    (
        "When 'Persons referred' or 'self referrals' to any adult health or social services function locally are "
        "received, indicating a history or significant risk of domestic violence, an agreed system of crosschecks "
        "should be made with health and social care and children's services databases across Dorset, Bournemouth "
        "and Poole.",
        demo_data.BP_MH,
        "Information sharing",
        "regional",
        "on_track",
    ),
    (
        "When a client is assessed as risk to others, inter-agency communication should take place irrespective of "
        "whether or not the risk to others is low.",
        demo_data.BP_MH,
        "Mental health",
        "local",
        "at_risk",
    ),
    (
        "When Primary Care receives a letter or report in relation to a client receiving secondary services, the "
        "practice is accountable for assessing and responding to the content of the report, considering risk to "
        "others and therefore the need to be aware of both Adult Protection and Safeguarding Children procedures "
        "and their responsibility to protect.",
        demo_data.BP_GP,
        "Assessment and planning",
        "local",
        "not_started",
    ),
    (
        "Comprehensive and robust assessments should always be undertaken when the permanency plan is to place "
        "children with extended family members. This must include undertaking checks on all adults in the "
        "household and assessing both prospective carers for long-term stability.",
        demo_data.BP_CSC,
        "Assessment and planning",
        "local",
        "complete",
    ),
    (
        "Initial assessments in response to domestic violence incidents should ensure that all agencies working "
        "with children, wherever possible and safe to do so, interview the perpetrator and assess any contact "
        "issues in relation to the safety of all children and the non abusive parent. Assessments should probe "
        "and challenge the foundation of self confidence regarding keeping safe.",
        demo_data.BP_CSC,
        "Domestic abuse risk assessment",
        "local",
        "overdue",
    ),
    (
        "Child in Need Reviews should involve all agencies working with children and adults and there should be "
        "active manager oversight when reviewing plans.",
        demo_data.BP_CSC,
        "Management oversight and supervision",
        "local",
        "on_track",
    ),
    (
        "Inter-agency communication, contemporaneous record keeping, information sharing processes need to remain "
        "a high priority for all agencies, and training should be undertaken on a regular basis to ensure a high "
        "standard, and reinforced/quality assured through managerial supervision.",
        demo_data.BP_POLICE,
        "Record keeping",
        "local",
        "on_track",
    ),
    (
        "Each agency to forward their completed IMR action plan to the Serious Case Review Panel who will attach "
        "this to the Overview Recommendations which will then be available for scrutiny. Each agency remains "
        "responsible for their IMR Action Plan and be responsible for its implementation.",
        demo_data.BP_CSC,
        "Multi-agency working",
        "local",
        "assured",
    ),
    (
        "When agencies complete an IMR it's the expectation that where details are ambiguous, clarification should "
        "be sought and staff will be interviewed.",
        demo_data.BP_HOSPITAL,
        "Policy and procedure",
        "local",
        "not_started",
    ),
    (
        "Where there is evidence of alcohol misuse and/or domestic violence in the parent or carer, this poses a "
        "risk to children and should be identified on the adults' and individual children's records as a "
        "significant factor.",
        demo_data.BP_DRUGS,
        "Substance misuse",
        "local",
        "at_risk",
    ),
    (
        "Where an assessment, undertaken by Probation identifies domestic violence as a feature, this should be "
        "shared with other relevant agencies.",
        demo_data.BP_PROBATION,
        "Information sharing",
        "local",
        "on_track",
    ),
]

# Days from today to each status's target date in the Family B plan.
_BPSCR_TARGETS = {"assured": -400, "complete": -90, "on_track": 60, "at_risk": 14, "not_started": 120, "overdue": -45}


def _make_action(
    *,
    actor: User | None,
    board_admin: User | None,
    recommendation,
    agency: Agency,
    text: str,
    days: int,
    status: str,
    owner: User | None,
    today: datetime.date,
) -> Action:
    target = today + datetime.timedelta(days=days)
    action = services.action_create(
        actor=actor,
        recommendation=recommendation,
        text=text,
        lead_agency=agency,
        owner=owner,
        target_date=target,
        status="overdue" if status == "overdue" else "not_started",
        milestones=[("Plan agreed with the lead agency", target - datetime.timedelta(days=60))],
    )
    progress_by = owner or actor
    if status in ("on_track", "at_risk") and progress_by is not None:
        services.progress_add(
            actor=progress_by,
            action=action,
            text="Work under way; next report to the board's sub-group."
            if status == "on_track"
            else "Staff shortages have delayed the work; a revised plan goes to the next sub-group.",
            status=status,
        )
    if status in ("complete", "assured") and progress_by is not None:
        services.progress_add(
            actor=progress_by,
            action=action,
            text="Completed and reported to the board.",
            status="complete",
            completed_on=min(today, target),
            outcome="Done as planned; an audit three months on confirmed the change in practice.",
        )
        if status == "assured" and board_admin is not None:
            services.action_assure(actor=board_admin, action=action, note="Evidence reviewed at the board meeting.")
    return action


@dataclass(frozen=True)
class _DemoPlan:
    """What every recommendation and action of one demo review's plan is made with."""

    review: Review
    chair: User
    board_admin: User | None
    themes: dict[str, Theme]
    agencies: dict[str, Agency]
    today: datetime.date


def _demo_dhr_plan(plan: _DemoPlan) -> None:
    owners = {
        m.agency_id: m.user
        for m in ReviewMembership.objects.filter(review=plan.review, role=ReviewMembership.Role.ACTION_OWNER)
    }
    for spec in BDHR_RECOMMENDATIONS:
        recommendation = services.recommendation_create(
            actor=plan.chair,
            review=plan.review,
            data=services.RecommendationData(
                text=spec["text"],
                multi_agency=len(spec["agencies"]) > 1,
                agencies=[plan.agencies[name] for name in spec["agencies"]],
                theme=plan.themes[spec["theme"]],
                expected_outcome=spec["expected_outcome"],
            ),
        )
        for agency_name, text, days, status in spec["actions"]:
            agency = plan.agencies[agency_name]
            _make_action(
                actor=plan.chair,
                board_admin=plan.board_admin,
                recommendation=recommendation,
                agency=agency,
                text=text,
                days=days,
                status=status,
                owner=owners.get(agency.pk),
                today=plan.today,
            )
    _demo_clock(plan.review, plan.chair)


def _demo_bpscr_plan(plan: _DemoPlan) -> None:
    for text, agency_name, theme, scope, status in BPSCR_RECOMMENDATIONS:
        agency = plan.agencies[agency_name]
        recommendation = services.recommendation_create(
            actor=plan.chair,
            review=plan.review,
            data=services.RecommendationData(text=text, agencies=[agency], theme=plan.themes[theme], scope=scope),
        )
        _make_action(
            actor=plan.chair,
            board_admin=plan.board_admin,
            recommendation=recommendation,
            agency=agency,
            text=f"{agency.name} puts recommendation {recommendation.number} into practice "
            "and reports on it to the board.",
            days=_BPSCR_TARGETS[status],
            status=status,
            owner=None,
            today=plan.today,
        )


def demo_action_plans(*, chair: User, board_admin: User | None, owner: User | None) -> list[str]:
    """Load the action plans of the demo reviews (once). Returns what it did, line by line."""
    today = timezone.localdate()
    report: list[str] = []
    for review in Review.objects.filter(reference__in=[demo_data.REVIEWS[0]["reference"], "BPSCR-FamilyB"]):
        if review.recommendations.exists():
            continue
        services.themes_ensure_defaults(partnership=review.partnership)
        admin = review.partnership.memberships.select_related("user").first()
        plan = _DemoPlan(
            review=review,
            chair=chair,
            board_admin=admin.user if admin else board_admin,
            themes={theme.name: theme for theme in Theme.objects.filter(partnership=review.partnership)},
            agencies={agency.name: agency for agency in Agency.objects.filter(partnership=review.partnership)},
            today=today,
        )
        if review.review_type == Review.Type.DHR:
            _demo_dhr_plan(plan)
        else:
            _demo_bpscr_plan(plan)
        report.append(f"Loaded the action plan of {review.reference}: {review.recommendations.count()} recommendations")
    return report


def _demo_clock(review: Review, chair: User) -> None:
    # The seed: "the timescale to conclude the review would be dependent on the criminal
    # processes"; the report is dated October 2013. The extension's date is assumed.
    clocks.clock_extension_add(
        actor=chair,
        review=review,
        milestone="completion",
        due_date=datetime.date(2013, 10, 31),
        reason="The partnership agreed to wait for the criminal trial to conclude before completing the review.",
        today=datetime.date(2013, 1, 1),
    )
