"""The search page's facets: per filter value, how many candidates have it, counted by the
database.

The candidates (at most a few thousand ids with weights) go to the database as one parameter
(`engine.weights_table`); each filter is one GROUP BY that returns its top values, already
joined to names of the current team only. The joins are written CROSS JOIN: that keeps
SQLite's planner from scanning a big table and probing the weights table for every row.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connection

from research.models import ConversationKind

from .engine import weights_table
from .sources import TYPE_LABELS

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
    """Top values of `group` over the weighted rows `w(id, weight)` joined through `join`.

    `join` is "CROSS JOIN table alias ... WHERE conditions": CROSS JOIN keeps SQLite's planner
    from scanning a big table and probing the (unestimable) weights table for every row;
    PostgreSQL treats it as a plain join.
    """
    sql = (
        f"SELECT {group}, {label}, SUM(w.weight) AS n FROM ({table_sql}) w {join} "
        f"GROUP BY {group}, {label} ORDER BY n DESC, {label} LIMIT {TOP}"
    )
    return [FacetValue(str(v), lab, n) for v, lab, n in _rows(sql, [*table_params, *params])]


def _top(counter: Counter, labels: dict) -> list[FacetValue]:
    ranked = sorted(counter.items(), key=lambda item: (-item[1], labels.get(item[0], "")))
    return [FacetValue(str(v), labels.get(v, v), n) for v, n in ranked[:TOP]]


def counts(team_id: int, hits: dict[str, list]) -> dict[str, list[FacetValue]]:
    """hits: kind -> list of search.Hit (transcript/highlight carry conversation id, speaker;
    person carries organization id)."""
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

    team = [team_id]
    org_weights: Counter = Counter()
    if per_conversation:
        conv_sql, conv_params = weights_table(per_conversation)
        projects, kinds, project_names = Counter(), Counter(), {}
        for slug, name, kind, n in _rows(
            f"SELECT p.slug, p.name, c.kind, SUM(w.weight) FROM ({conv_sql}) w "
            "CROSS JOIN research_conversation c CROSS JOIN research_project p "
            "WHERE c.id = w.id AND p.id = c.project_id AND p.team_id = %s "
            "GROUP BY p.slug, p.name, c.kind",
            [*conv_params, team_id],
        ):
            projects[slug] += n
            kinds[kind] += n
            project_names[slug] = name
        kind_labels = dict(ConversationKind.choices)
        result["project"] = _top(projects, project_names)
        result["kind"] = _top(kinds, kind_labels)
        # People taking part (the top ones), and through them their organizations: one pass.
        people = []
        for uid, name, org_id, n in _rows(
            f"WITH per_person AS (SELECT pe.uid, pe.name, pe.organization_id, "
            f"SUM(w.weight) AS n FROM ({conv_sql}) w "
            "CROSS JOIN research_conversation_participants cp CROSS JOIN research_person pe "
            "WHERE cp.conversation_id = w.id AND pe.id = cp.person_id AND pe.team_id = %s "
            "GROUP BY pe.uid, pe.name, pe.organization_id) "
            f"SELECT * FROM (SELECT uid, name, CAST(NULL AS BIGINT), n FROM per_person "
            f"ORDER BY n DESC, name LIMIT {TOP}) top "
            "UNION ALL SELECT NULL, NULL, organization_id, SUM(n) FROM per_person "
            "WHERE organization_id IS NOT NULL GROUP BY organization_id",
            [*conv_params, team_id],
        ):
            if org_id is None:
                people.append(FacetValue(str(uid), name, n))
            else:
                org_weights[org_id] += n
        result["person"] = people

    org_weights.update(hit.values[0] for hit in hits.get("person", []) if hit.values[0])
    if org_weights:
        sql, params = weights_table(org_weights)
        result["organization"] = _grouped(
            sql,
            params,
            "CROSS JOIN research_organization o WHERE o.id = w.id AND o.team_id = %s",
            "o.uid",
            "o.name",
            team,
        )

    tag_parts, tag_params = [], []
    if with_conversation_tags:
        sql, params = weights_table(with_conversation_tags)
        tag_parts.append(
            f"SELECT tc.tag_id AS id, w.weight AS weight FROM ({sql}) w "
            "CROSS JOIN research_taggedconversation tc WHERE tc.content_object_id = w.id"
        )
        tag_params += params
    for kind, through in (("highlight", "taggedhighlight"), ("insight", "taggedinsight")):
        if hits.get(kind):
            sql, params = weights_table({hit.id: 1 for hit in hits[kind]})
            tag_parts.append(
                f"SELECT x.tag_id AS id, w.weight AS weight FROM ({sql}) w "
                f"CROSS JOIN research_{through} x WHERE x.content_object_id = w.id"
            )
            tag_params += params
    if tag_parts:
        result["tag"] = _grouped(
            " UNION ALL ".join(tag_parts),
            tag_params,
            "CROSS JOIN research_teamtag tg WHERE tg.id = w.id AND tg.team_id = %s",
            "tg.slug",
            "tg.name",
            team,
        )

    if hits.get("insight"):
        sql, params = weights_table({hit.id: 1 for hit in hits["insight"]})
        result["feature"] = _grouped(
            sql,
            params,
            "CROSS JOIN research_insightfeaturelink l CROSS JOIN research_feature fe "
            "WHERE l.insight_id = w.id AND fe.id = l.feature_id AND fe.team_id = %s",
            "fe.uid",
            "fe.name",
            team,
        )
    return result
