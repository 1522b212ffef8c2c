"""Demo evidence: highlights, themes, insights and features on the seeded conversations.

`seed()` is called by `manage.py seed_demo`; `build_feature_load()` makes the large feature
that the query-count test and benchmarks/feature_page.py measure.
"""

import random
import re
import uuid
from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from research.models import (
    Conversation,
    Feature,
    FeatureStatus,
    Highlight,
    Insight,
    InsightFeatureLink,
    InsightStatus,
    Organization,
    Person,
    Project,
    Segment,
    Stance,
    Team,
    Transcript,
    Weight,
)
from research.services.consent import quote_allowed
from research.services.features import feature_create
from research.services.highlights import highlight_create
from research.services.insights import insight_create, insight_link_feature
from research.services.tags import tags_resolve

THEMES = {
    "reporting": ("#2454c5", "Getting numbers out for someone else"),
    "exports": ("#1e7a3c", "Moving data into other tools"),
    "onboarding": ("#8a5a00", "First days with the product"),
    "pricing": ("#b3261e", "What it costs and how that is decided"),
}

FEATURES = [
    ("Scheduled reports", FeatureStatus.PLANNED, "Email a saved report every week."),
    ("Excel add-in", FeatureStatus.IDEA, "Pull live data straight into a spreadsheet."),
    ("Guided setup", FeatureStatus.BUILDING, "A checklist for the first week."),
    ("Dark mode", FeatureStatus.IDEA, "Nobody asked yet."),
]

INSIGHTS = [
    (
        "Managers want the same report every week without anyone rebuilding it",
        ["reporting", "exports"],
        [("Scheduled reports", Stance.VALIDATES, Weight.CRITICAL, "Saves an hour a week")],
    ),
    (
        "People export to spreadsheets only because reports can't be shared",
        ["exports"],
        [
            ("Scheduled reports", Stance.VALIDATES, Weight.IMPORTANT, ""),
            ("Excel add-in", Stance.CONTRADICTS, Weight.IMPORTANT, "They'd rather not use Excel"),
        ],
    ),
    (
        "New admins get lost before they invite their team",
        ["onboarding"],
        [("Guided setup", Stance.VALIDATES, Weight.IMPORTANT, "")],
    ),
]


def _sentences(text: str) -> list[str]:
    plain = re.sub(r"[*_#>`\[\]()-]", " ", text or "")
    found = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+|\n+", plain)]
    return [s for s in found if len(s.split()) >= 4]


def _highlights_for(conversation: Conversation, owner, tag_names: list[str]) -> list[Highlight]:
    made = []
    transcript = (
        Transcript.objects.filter(recording__conversation=conversation)
        .order_by("recording__created_at", "recording_id", "-version")
        .first()
    )
    segments = (
        list(Segment.objects.filter(transcript=transcript).order_by("index")[:40])
        if transcript
        else []
    )
    # Customers' words make the evidence: lines of a known person first, then any long line;
    # never the words of someone who did not consent to being quoted.
    segments = [
        s
        for s in segments
        if quote_allowed(conversation=conversation, person=s.person, outside=False)
    ]
    segments.sort(key=lambda s: (s.person_id is None, s.index))
    for i, segment in enumerate(s for s in segments if len(s.text.split()) >= 4):
        if i >= 2:
            break
        made.append(
            highlight_create(
                conversation=conversation,
                created_by=owner,
                transcript=transcript,
                start=segment.start,
                end=segment.end,
                quote=segment.text,
                tags=tag_names,
            )
        )
    if not made:
        for sentence in _sentences(conversation.notes)[:2]:
            made.append(
                highlight_create(
                    conversation=conversation, created_by=owner, quote=sentence, tags=tag_names
                )
            )
    return made


@transaction.atomic
def seed(*, team: Team, users: Sequence, conversations: Sequence[Conversation]) -> None:
    """Highlights on the given conversations, three insights, four features and their links."""
    owner = users[0] if users else None
    tags = tags_resolve(team=team, names=list(THEMES))
    for tag in tags:
        tag.color, tag.description = THEMES[tag.name.lower()]
        tag.save(update_fields=["color", "description"])
    names = list(THEMES)
    highlights = []
    for i, conversation in enumerate(conversations):
        highlights += _highlights_for(conversation, owner, [names[i % 2], names[(i % 3) + 1]])
    features = {}
    for name, status, description in FEATURES:
        feature = Feature.objects.filter(team=team, name=name).first()
        features[name] = feature or feature_create(
            team=team, name=name, status=status, description=description, owner=owner
        )
    for n, (title, insight_tags, links) in enumerate(INSIGHTS):
        backing = [h for i, h in enumerate(highlights) if i % len(INSIGHTS) == n]
        insight = insight_create(
            team=team,
            created_by=owner,
            title=title,
            status=InsightStatus.PUBLISHED if n < 2 else InsightStatus.DRAFT,
            tags=insight_tags,
            highlights=backing,
        )
        for feature_name, stance, weight, note in links:
            insight_link_feature(
                insight=insight,
                feature=features[feature_name],
                stance=stance,
                weight=weight,
                note=note,
            )


@transaction.atomic
def build_feature_load(
    *, team: Team, owner, insights: int = 500, highlights: int = 5000, seed: int = 5
) -> Feature:
    """One feature backed by `insights` insights holding `highlights` highlights in all.

    Bulk inserts, so the 500/5,000 case builds in a few seconds. One insight in ten
    contradicts the feature; one in twenty has a counter-quote.
    """
    rng = random.Random(seed)
    batch = uuid.uuid4().hex[:8]  # lets several loads live in one team
    project = Project.objects.create(team=team, name=f"Load {batch}", slug=f"load-{batch}")
    orgs = Organization.objects.bulk_create(
        [Organization(team=team, name=f"Load org {batch} {i}") for i in range(60)]
    )
    people = Person.objects.bulk_create(
        [Person(team=team, name=f"Person {i}", organization=orgs[i % 60]) for i in range(300)]
    )
    now = timezone.now()
    conversations = Conversation.objects.bulk_create(
        [
            Conversation(
                team=team,
                project=project,
                title=f"Load interview {i}",
                occurred_at=now - timedelta(days=i),
                created_by=owner,
            )
            for i in range(400)
        ]
    )
    rows = []
    for i in range(highlights):
        start = float(rng.randrange(0, 3000))
        rows.append(
            Highlight(
                team=team,
                conversation=conversations[i % len(conversations)],
                quote=f"Quote number {i}: the weekly report takes far too long to rebuild.",
                start=start if i % 4 else None,
                end=start + 8 if i % 4 else None,
                person=people[rng.randrange(len(people))] if i % 7 else None,
                created_by=owner,
            )
        )
    made = Highlight.objects.bulk_create(rows)
    found = Insight.objects.bulk_create(
        [Insight(team=team, title=f"Load insight {i}", created_by=owner) for i in range(insights)]
    )
    through = Insight.highlights.through
    through.objects.bulk_create(
        [through(insight_id=found[i % insights].pk, highlight_id=h.pk) for i, h in enumerate(made)]
    )
    against = Insight.contradicting_highlights.through
    against.objects.bulk_create(
        [
            against(insight_id=found[i].pk, highlight_id=made[-1 - i].pk)
            for i in range(0, insights, 20)
        ]
    )
    direct = Insight.conversations.through
    direct.objects.bulk_create(
        [
            direct(insight_id=found[i].pk, conversation_id=conversations[i % 400].pk)
            for i in range(0, insights, 10)
        ]
    )
    Conversation.participants.through.objects.bulk_create(
        [
            Conversation.participants.through(
                conversation_id=c.pk, person_id=people[i % len(people)].pk
            )
            for i, c in enumerate(conversations)
        ]
    )
    feature = Feature.objects.create(team=team, name=f"Loaded feature {batch}")
    InsightFeatureLink.objects.bulk_create(
        [
            InsightFeatureLink(
                team=team,
                insight=insight,
                feature=feature,
                stance=Stance.CONTRADICTS if i % 10 == 0 else Stance.VALIDATES,
                weight=[Weight.NICE, Weight.IMPORTANT, Weight.CRITICAL][i % 3],
            )
            for i, insight in enumerate(found)
        ]
    )
    return feature
