"""What is searchable: each source table, its indexed columns and their weights."""

from dataclasses import dataclass

PG_CONFIG = "fieldnotes"  # text search configuration: english stemming, accents removed

# Words of a person who withdrew consent in that conversation never match.
CONSENTED = (
    "NOT EXISTS (SELECT 1 FROM research_consent wc WHERE wc.conversation_id = t.conversation_id "
    "AND wc.person_id = t.person_id AND wc.withdrawn_at IS NOT NULL)"
)


@dataclass(frozen=True)
class Source:
    """A searchable table: its indexed columns, most important first, with their weights."""

    kind: str
    label: str  # what a result of this source is called on the search page
    table: str
    columns: tuple[str, ...]
    weights: tuple[float, ...]
    searchable: str = ""  # SQL on the row `t`: which rows may match at all

    @property
    def index_table(self) -> str:
        return f"research_search_{self.kind}"


SOURCES = {
    source.kind: source
    for source in [
        Source(
            "transcript",
            "Transcript",
            "research_segment",
            ("text",),
            (1.0,),
            # Only the newest transcript of a recording counts. Replaced transcripts are
            # found from the few re-runs (a partial index, see schema.py), not all of them.
            searchable="t.transcript_id NOT IN (SELECT cur.id FROM research_transcript newer "
            "JOIN research_transcript cur ON cur.recording_id = newer.recording_id "
            "AND cur.version < newer.version WHERE newer.version > 1) AND " + CONSENTED,
        ),
        Source(
            "highlight",
            "Highlight",
            "research_highlight",
            ("quote", "comment"),
            (1.0, 0.5),
            searchable=CONSENTED,
        ),
        Source("insight", "Insight", "research_insight", ("title", "details"), (2.0, 1.0)),
        Source("feature", "Feature", "research_feature", ("name", "description"), (2.0, 1.0)),
        Source(
            "conversation", "Conversation", "research_conversation", ("title", "notes"), (2.0, 1.0)
        ),
        Source("person", "Person", "research_person", ("name", "title", "notes"), (3.0, 1.0, 0.5)),
        Source(
            "organization", "Organization", "research_organization", ("name", "notes"), (3.0, 0.5)
        ),
        # A tag's page lists what carries it: searching a tag's name ("Überstunden", also
        # typed without the accent) finds the tag.
        Source("tag", "Tag", "research_teamtag", ("name", "description"), (3.0, 1.0)),
    ]
}
TYPE_LABELS = {kind: source.label for kind, source in SOURCES.items()}
