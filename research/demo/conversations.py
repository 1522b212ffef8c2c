"""Demo projects, organizations, people and conversations, with what each person consented to."""

from datetime import timedelta

from django.utils import timezone

from research.models import ConsentMethod, ConversationKind, OrganizationKind, PersonKind, Team
from research.services.conversations import consent_record, conversation_create
from research.services.directory import organization_create, person_create, project_create

PROJECTS = [
    (
        "Reporting & exports",
        "How operations teams get data out of the product and into their own tools.",
    ),
    (
        "Plant-floor mobile app",
        "Site visits with maintenance crews using the app on shared tablets.",
    ),
    ("Onboarding 2026", "Why new accounts stall in their first two weeks."),
]

ORGANIZATIONS = [
    ("Northwind Foods", OrganizationKind.CUSTOMER),
    ("Baltic Steelworks", OrganizationKind.CUSTOMER),
    ("Helios Solar Components", OrganizationKind.CUSTOMER),
    ("Kestrel Logistics", OrganizationKind.CUSTOMER),
    ("Integra Partners", OrganizationKind.PARTNER),
    ("Customer Success (internal)", OrganizationKind.INTERNAL),
]

PEOPLE = [
    ("Amara Okafor", 0, "Operations manager", PersonKind.CUSTOMER),
    ("Jonas Lindqvist", 1, "Maintenance lead", PersonKind.CUSTOMER),
    ("Priya Raman", 2, "Quality engineer", PersonKind.CUSTOMER),
    ("Diego Fernández", 3, "Dispatch supervisor", PersonKind.CUSTOMER),
    ("Mei Chen", 0, "Finance analyst", PersonKind.CUSTOMER),
    ("Tomasz Nowak", 1, "Shift supervisor", PersonKind.CUSTOMER),
    ("Sophie Laurent", 4, "Implementation consultant", PersonKind.PARTNER),
    ("Ravi Patel", 5, "Customer success manager", PersonKind.COLLEAGUE),
    ("Hannah Weber", 2, "Plant manager", PersonKind.CUSTOMER),
    ("Kwame Mensah", 3, "IT administrator", PersonKind.CUSTOMER),
]

CONVERSATIONS = [
    # title, project, kind, days ago, where, people, tags, notes
    (
        "Monthly close: how Northwind gets numbers out",
        0,
        ConversationKind.INTERVIEW,
        3,
        "Video call",
        [0, 4],
        ["exports", "reporting", "excel"],
        "Amara exports the **weekly downtime report** to Excel every Monday and rebuilds the "
        "pivot by hand.\n\n- CSV export drops the plant column\n"
        "- Mei wants scheduled exports by email\n\n"
        '> "If I could get this in my inbox at 7am I\'d never log in."',
    ),
    (
        "Site visit: Baltic Steelworks line 3",
        1,
        ConversationKind.SITE_VISIT,
        6,
        "Gdańsk, line 3 maintenance bay",
        [1, 5],
        ["mobile", "offline", "gloves"],
        "Tablets are shared between shifts. Crews wear gloves: buttons are too small.\n\n"
        "Wi-Fi drops near the furnaces, so **offline mode** matters more than anything else.",
    ),
    (
        "Quality audit trail walkthrough",
        0,
        ConversationKind.CALL,
        9,
        "Phone",
        [2],
        ["audit", "exports"],
        "Priya needs an audit-ready PDF per batch. Today she screenshots three screens.",
    ),
    (
        "Dispatch planning with Kestrel",
        2,
        ConversationKind.INTERVIEW,
        12,
        "Kestrel HQ, Rotterdam",
        [3, 9],
        ["onboarding", "sso"],
        "Kwame could not finish setup: SSO configuration needed a support ticket.\n\n"
        "Diego's team gave up on the product for two weeks while waiting.",
    ),
    (
        "Partner sync: implementation pain points",
        2,
        ConversationKind.MEETING,
        15,
        "Integra office",
        [6, 7],
        ["onboarding", "data-import"],
        "Sophie says every rollout starts with a spreadsheet import that fails on date formats.",
    ),
    (
        "Hallway chat: plant manager on dashboards",
        1,
        ConversationKind.OTHER,
        18,
        "Helios canteen",
        [8],
        ["dashboards", "mobile"],
        "Hannah only looks at the app on her phone between meetings. Wants one number: OEE today.",
    ),
    (
        "Finance: scheduled exports follow-up",
        0,
        ConversationKind.CALL,
        21,
        "Video call",
        [4],
        ["exports", "scheduling"],
        "Mei confirmed: a scheduled CSV to a shared mailbox would replace their manual "
        "Monday routine.",
    ),
    (
        "Night shift handover observation",
        1,
        ConversationKind.SITE_VISIT,
        25,
        "Baltic Steelworks, control room",
        [5],
        ["mobile", "handover"],
        "Handover notes are on paper. Photos of the whiteboard get lost in WhatsApp.",
    ),
    (
        "Onboarding retro with customer success",
        2,
        ConversationKind.MEETING,
        30,
        "Office",
        [7],
        ["onboarding"],
        "Ravi: accounts that import data in week one retain far better. Import is the bottleneck.",
    ),
    (
        "Helios: audit exports for certification",
        0,
        ConversationKind.INTERVIEW,
        34,
        "Helios plant",
        [2, 8],
        ["audit", "exports", "pdf"],
        "ISO auditors want a single PDF per lot with signatures. Excel is not accepted.",
    ),
]


def seed(*, team: Team, owner) -> list:
    projects = [project_create(team=team, name=n, description=d) for n, d in PROJECTS]
    orgs = [organization_create(team=team, name=n, kind=k) for n, k in ORGANIZATIONS]
    people = [
        person_create(
            team=team,
            name=name,
            organization=orgs[org],
            title=title,
            kind=kind,
            email=f"{name.split()[0].lower()}@example.com",
        )
        for name, org, title, kind in PEOPLE
    ]
    now = timezone.now()
    conversations = []
    for title, project, kind, days, where, who, tags, notes in CONVERSATIONS:
        participants = [people[i] for i in who]
        conversation = conversation_create(
            team=team,
            created_by=owner,
            project=projects[project],
            title=title,
            kind=kind,
            occurred_at=now - timedelta(days=days, hours=days % 5),
            location=where,
            participants=participants,
            interviewers=[owner],
            tags=tags,
            notes=notes,
        )
        for person in participants:
            consent_record(
                conversation=conversation,
                person=person,
                given=True,
                may_record=True,
                may_transcribe=True,
                may_quote=days % 3 != 0,
                method=ConsentMethod.VERBAL,
                obtained_at=conversation.occurred_at,
            )
        conversations.append(conversation)
    return conversations
