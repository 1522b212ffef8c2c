"""Tags as themes: the vocabulary with counts, one tag's page, and the theme board."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncMonth

from research.models import (
    Conversation,
    Highlight,
    Insight,
    Person,
    TaggedConversation,
    TaggedHighlight,
    TaggedInsight,
    Team,
    TeamTag,
)
from research.models.base import withdrawn_consent

BOARD_MAX_COLUMNS = 6
BOARD_CARDS_PER_COLUMN = 200
USAGE_MONTHS = 12


def team_tags(*, team: Team) -> QuerySet:
    return (
        TeamTag.objects.filter(team=team)
        .annotate(conversation_count=Count("conversation_items", distinct=True))
        .order_by("name")
    )


def tag_names(*, team: Team) -> list[str]:
    """The team's vocabulary, for the tag fields' suggestions."""
    return list(TeamTag.objects.filter(team=team).order_by("name").values_list("name", flat=True))


def _uses(through) -> Coalesce:
    # One subquery per kind of item: joining all three would multiply their rows.
    counted = (
        through.objects.filter(tag=OuterRef("pk"))
        .order_by()
        .values("tag")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def tag_overview(*, team: Team) -> QuerySet:
    """Every tag of the team with how many conversations, highlights and insights carry it."""
    return (
        TeamTag.objects.filter(team=team)
        .annotate(
            conversation_count=_uses(TaggedConversation),
            highlight_count=_uses(TaggedHighlight),
            insight_count=_uses(TaggedInsight),
        )
        .order_by("name")
    )


@dataclass(frozen=True)
class MonthUse:
    month: date
    conversations: int
    highlights: int
    insights: int

    @property
    def total(self) -> int:
        return self.conversations + self.highlights + self.insights


def _month_start(value) -> date:
    value = value.date() if hasattr(value, "date") else value
    return value.replace(day=1)


def _months_back(newest: date, count: int) -> list[date]:
    months, year, month = [], newest.year, newest.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def tag_usage(*, tag: TeamTag, today: date) -> list[MonthUse]:
    """How often the tag was used per month over the last year.

    A conversation counts in the month it happened, a highlight in the month of its
    conversation (when it was said), an insight in the month it was written.
    """
    series = {
        "conversations": Conversation.objects.filter(tagged_items__tag=tag).annotate(
            m=TruncMonth("occurred_at")
        ),
        "highlights": Highlight.objects.filter(tagged_items__tag=tag).annotate(
            m=TruncMonth("conversation__occurred_at")
        ),
        "insights": Insight.objects.filter(tagged_items__tag=tag).annotate(
            m=TruncMonth("created_at")
        ),
    }
    counts: dict[str, dict[date, int]] = {}
    for name, qs in series.items():
        rows = qs.order_by().values("m").annotate(n=Count("id", distinct=True))
        counts[name] = {_month_start(r["m"]): r["n"] for r in rows if r["m"] is not None}
    return [
        MonthUse(
            month=m,
            conversations=counts["conversations"].get(m, 0),
            highlights=counts["highlights"].get(m, 0),
            insights=counts["insights"].get(m, 0),
        )
        for m in _months_back(today.replace(day=1), USAGE_MONTHS)
    ]


def tag_items(*, tag: TeamTag, limit: int = 200) -> dict:
    team_id = tag.team_id
    conversations = (
        Conversation.objects.filter(team_id=team_id, tagged_items__tag=tag)
        .select_related("project")
        .prefetch_related(
            "tags", Prefetch("participants", queryset=Person.objects.select_related("organization"))
        )
    )
    highlights = (
        Highlight.objects.filter(team_id=team_id, tagged_items__tag=tag)
        .consented()
        .select_related("conversation", "person__organization", "transcript__recording")
        .prefetch_related("tags")
        .order_by("-conversation__occurred_at", "-created_at")
    )
    insights = Insight.objects.filter(team_id=team_id, tagged_items__tag=tag).prefetch_related(
        "tags"
    )
    return {
        "conversations": conversations[:limit],
        "highlights": highlights[:limit],
        "insights": insights[:limit],
        "counts": {
            "conversations": conversations.count(),
            "highlights": highlights.count(),
            "insights": insights.count(),
        },
    }


def board(*, team: Team, slugs: list[str]) -> list[dict]:
    """Columns for the chosen tags (in the chosen order), each with its highlights as cards."""
    tags = {t.slug: t for t in TeamTag.objects.filter(team=team, slug__in=slugs)}
    columns = [tags[s] for s in dict.fromkeys(slugs) if s in tags][:BOARD_MAX_COLUMNS]
    newest_first = [F("content_object__created_at").desc(), F("content_object_id").desc()]
    rows = (
        TaggedHighlight.objects.filter(tag__in=columns, content_object__team=team)
        .exclude(withdrawn_consent("content_object__conversation_id", "content_object__person_id"))
        .annotate(rank=Window(RowNumber(), partition_by=[F("tag_id")], order_by=newest_first))
        .filter(rank__lte=BOARD_CARDS_PER_COLUMN)
        .select_related(
            "content_object__conversation",
            "content_object__person",
            "content_object__transcript__recording",
        )
        .order_by("tag_id", "rank")
    )
    cards: dict[int, list] = {t.pk: [] for t in columns}
    for row in rows:
        cards[row.tag_id].append(row.content_object)
    return [{"tag": t, "cards": cards[t.pk]} for t in columns]
