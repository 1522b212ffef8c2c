"""Per filter value, how many search candidates have it: aggregated by the database.

The candidates (at most a few thousand ids with weights) go to the database as one parameter
(`research.search.weights_table`); each filter is one GROUP BY that returns its top values,
already joined to names of the current team only.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connection

from research import search
from research.models import ConversationKind

TOP = 12


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _grouped(table_sql: str, table_params: list, join: str, group: str, label: str, params=()):
    """Top values of `group` over the weighted rows `w(id, weight)` joined through `join`."""
    sql = (
        f"SELECT {group}, {label}, SUM(w.weight) AS n FROM ({table_sql}) w {join} "
        f"GROUP BY {group}, {label} ORDER BY n DESC, {label} LIMIT {TOP}"
    )
    return [FacetValue(str(v), lab, n) for v, lab, n in _rows(sql, [*table_params, *params])]


def counts(team_id: int, hits: dict[str, list]) -> dict[str, list[FacetValue]]:
    """hits: kind -> list of search.Hit (transcript/highlight carry conversation id, speaker;
    person carries organization id)."""
    from research.selectors_search import TYPE_LABELS  # labels live with the search page

    result = {
        "type": [FacetValue(k, TYPE_LABELS[k], len(v)) for k, v in hits.items() if v],
        "speaker": [],
    }
    result["type"].sort(key=lambda v: -v.count)

    # Conversation-bound documents, weighted per conversation. Transcript lines and
    # conversations carry their conversation's tags; highlights and insights their own.
    per_conversation: Counter = Counter()
    with_conversation_tags: Counter = Counter()
    speakers: Counter = Counter()
    for kind in ("transcript", "highlight"):
        for hit in hits.get(kind, []):
            per_conversation[hit.values[0]] += 1
            if kind == "transcript":
                with_conversation_tags[hit.values[0]] += 1
            if hit.values[1]:
                speakers[hit.values[1]] += 1
    for hit in hits.get("conversation", []):
        per_conversation[hit.id] += 1
        with_conversation_tags[hit.id] += 1
    result["speaker"] = [FacetValue(s, s, n) for s, n in speakers.most_common(TOP)]

    conv_sql, conv_params = search.weights_table(per_conversation)
    team = [team_id]
    if per_conversation:
        join_conv = "JOIN research_conversation c ON c.id = w.id"
        result["project"] = _grouped(
            conv_sql,
            conv_params,
            f"{join_conv} JOIN research_project p ON p.id = c.project_id AND p.team_id = %s",
            "p.slug",
            "p.name",
            team,
        )
        result["kind"] = _grouped(conv_sql, conv_params, join_conv, "c.kind", "c.kind")
        participants = (
            "JOIN research_conversation_participants cp ON cp.conversation_id = w.id "
            "JOIN research_person pe ON pe.id = cp.person_id AND pe.team_id = %s"
        )
        result["person"] = _grouped(conv_sql, conv_params, participants, "pe.uid", "pe.name", team)

    # Organizations: of the participants, and of the people found.
    org_weights: Counter = Counter()
    if per_conversation:
        sql = (
            f"SELECT pe.organization_id, SUM(w.weight) FROM ({conv_sql}) w "
            "JOIN research_conversation_participants cp ON cp.conversation_id = w.id "
            "JOIN research_person pe ON pe.id = cp.person_id "
            "WHERE pe.organization_id IS NOT NULL GROUP BY pe.organization_id"
        )
        org_weights.update(dict(_rows(sql, conv_params)))
    org_weights.update(hit.values[0] for hit in hits.get("person", []) if hit.values[0])
    if org_weights:
        sql, params = search.weights_table(org_weights)
        result["organization"] = _grouped(
            sql,
            params,
            "JOIN research_organization o ON o.id = w.id AND o.team_id = %s",
            "o.uid",
            "o.name",
            team,
        )

    tag_parts, tag_params = [], []
    if with_conversation_tags:
        sql, params = search.weights_table(with_conversation_tags)
        tag_parts.append(
            f"SELECT tc.tag_id AS id, w.weight AS weight FROM ({sql}) w "
            "JOIN research_taggedconversation tc ON tc.content_object_id = w.id"
        )
        tag_params += params
    for kind, through in (("highlight", "taggedhighlight"), ("insight", "taggedinsight")):
        if hits.get(kind):
            sql, params = search.weights_table({hit.id: 1 for hit in hits[kind]})
            tag_parts.append(
                f"SELECT x.tag_id AS id, w.weight AS weight FROM ({sql}) w "
                f"JOIN research_{through} x ON x.content_object_id = w.id"
            )
            tag_params += params
    if tag_parts:
        result["tag"] = _grouped(
            " UNION ALL ".join(tag_parts),
            tag_params,
            "JOIN research_teamtag tg ON tg.id = w.id AND tg.team_id = %s",
            "tg.slug",
            "tg.name",
            team,
        )

    if hits.get("insight"):
        sql, params = search.weights_table({hit.id: 1 for hit in hits["insight"]})
        result["feature"] = _grouped(
            sql,
            params,
            "JOIN research_insightfeaturelink l ON l.insight_id = w.id "
            "JOIN research_feature fe ON fe.id = l.feature_id AND fe.team_id = %s",
            "fe.uid",
            "fe.name",
            team,
        )
    kind_labels = dict(ConversationKind.choices)
    for value in result.get("kind", []):
        value.label = kind_labels.get(value.value, value.value)
    return result

