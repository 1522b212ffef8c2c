"""What is searchable: each source table, its indexed columns and their weights."""

from dataclasses import dataclass

PG_CONFIG = "fieldnotes"  # text search configuration: english stemming, accents removed


@dataclass(frozen=True)
class Source:
    """A searchable table: its indexed columns, most important first, with their weights."""

    kind: str
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
            "research_segment",
            ("text",),
            (1.0,),
            # Only the newest transcript of a recording counts; checked per match, which is
            # cheaper than listing every replaced transcript for every search.
            searchable="NOT EXISTS (SELECT 1 FROM research_transcript cur "
            "JOIN research_transcript newer ON newer.recording_id = cur.recording_id "
            "AND newer.version > cur.version WHERE cur.id = t.transcript_id)",
        ),
        Source("highlight", "research_highlight", ("quote", "comment"), (1.0, 0.5)),
        Source("insight", "research_insight", ("title", "details"), (2.0, 1.0)),
        Source("feature", "research_feature", ("name", "description"), (2.0, 1.0)),
        Source("conversation", "research_conversation", ("title", "notes"), (2.0, 1.0)),
        Source("person", "research_person", ("name", "title", "notes"), (3.0, 1.0, 0.5)),
        Source("organization", "research_organization", ("name", "notes"), (3.0, 0.5)),
    ]
}
