"""Search at scale: p50/p95 of the real search view against a naive icontains search.

Builds a throwaway database (SQLite file in a temporary directory, or the PostgreSQL database
`search_bench`, dropped and created) with 20,000 conversations, 1,000,000 transcript segments of
about 18 Zipf-distributed words (../shared/bench/zipf_corpus.py), 50,000 highlights and 5,000
insights; builds the search index from scratch (index_rate = segments / rebuild seconds); then
sends 200 varied queries (single words, pairs, phrases; a third with a filter) through the
search view with the Django test client, and the same queries as a naive icontains search.

    python benchmarks/search.py --engine sqlite [--segments 100000]
    python benchmarks/search.py --engine postgresql [--pg-url postgres://postgres@127.0.0.1:5432]

The last line is: engine=<e> segments=<n> p50_ms=<..> p95_ms=<..> naive_p95_ms=<..>
ratio=<p95/naive_p95> index_rate=<segments indexed per second>
"""

import argparse
import datetime
import importlib.util
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEGMENTS_PER_CONVERSATION = 50
FILTERS = [
    {"type": "transcript"},
    {"project": "project-3"},
    {"kind": "call"},
    {"date_from": "2026-01-01", "date_to": "2026-03-31"},
    {"tag": "theme-2"},
    {"speaker": "Interviewer"},
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--segments", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--naive-queries", type=int, default=None, help="how many of the queries to run naively"
    )
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-db", default="search_bench")
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="keep the built database (SQLite file, or a note of the PostgreSQL one) in DIR "
        "and reuse it on the next run with the same engine and size, to time queries only",
    )
    parser.add_argument(
        "--corpus", default=str(ROOT.parent / "shared" / "bench" / "zipf_corpus.py")
    )
    return parser.parse_args()


def load_corpus_module(path: str):
    spec = importlib.util.spec_from_file_location("zipf_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def built_marker(args) -> Path | None:
    """Where a reusable database records its index rate, once fully built."""
    if not args.reuse:
        return None
    Path(args.reuse).mkdir(parents=True, exist_ok=True)
    return Path(args.reuse) / f"{args.engine}-{args.segments}.built"


def throwaway_database(args) -> str:
    marker = built_marker(args)
    if args.engine == "sqlite":
        if marker:
            if not marker.exists():
                Path(args.reuse, f"sqlite-{args.segments}.sqlite3").unlink(missing_ok=True)
            return f"sqlite:///{Path(args.reuse).resolve()}/sqlite-{args.segments}.sqlite3"
        directory = tempfile.mkdtemp(prefix="search_bench_")
        return f"sqlite:///{directory}/bench.sqlite3"
    if marker and marker.exists():
        return f"{args.pg_url}/{args.pg_db}"
    import psycopg

    with psycopg.connect(f"{args.pg_url}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {args.pg_db}")
        conn.execute(f"CREATE DATABASE {args.pg_db}")
    return f"{args.pg_url}/{args.pg_db}"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def build_corpus(args, corpus):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from research import search
    from research.models import (
        Conversation,
        Highlight,
        Insight,
        Organization,
        Person,
        Project,
        Recording,
        TaggedConversation,
        TaggedHighlight,
        TeamTag,
        Transcript,
    )
    from research.services.teams import team_create

    rng = random.Random(11)
    user = get_user_model().objects.create_user("bench", "bench@example.com", "bench-pw-1")
    team = team_create(name="Bench", owner=user)
    search.uninstall(connection)  # load without triggers, then time a full rebuild

    n_conversations = max(1, args.segments // SEGMENTS_PER_CONVERSATION)
    projects = Project.objects.bulk_create(
        Project(team=team, name=f"Project {i}", slug=f"project-{i}") for i in range(10)
    )
    orgs = Organization.objects.bulk_create(
        Organization(team=team, name=f"Org {i}") for i in range(200)
    )
    people = Person.objects.bulk_create(
        Person(team=team, name=f"Person {i}", organization=orgs[i % 200]) for i in range(2000)
    )
    tags = TeamTag.objects.bulk_create(
        TeamTag(team=team, name=f"theme {i}", slug=f"theme-{i}") for i in range(20)
    )
    start = timezone.make_aware(datetime.datetime(2025, 1, 1))
    kinds = ["interview", "call", "site_visit", "meeting"]
    conversations = Conversation.objects.bulk_create(
        (
            Conversation(
                team=team,
                project=projects[i % 10],
                title=f"Conversation {i} " + " ".join(rng.choices(corpus.COMMON, k=3)),
                kind=kinds[i % 4],
                occurred_at=start + datetime.timedelta(hours=i),
                notes=" ".join(rng.choices(corpus.VOCAB, cum_weights=corpus.CUM_WEIGHTS, k=40)),
            )
            for i in range(n_conversations)
        ),
        batch_size=5000,
    )
    through = Conversation.participants.through
    through.objects.bulk_create(
        (
            through(conversation_id=c.id, person_id=people[(i * 7 + k) % 2000].id)
            for i, c in enumerate(conversations)
            for k in range(2)
        ),
        batch_size=10000,
    )
    TaggedConversation.objects.bulk_create(
        (
            TaggedConversation(content_object_id=c.id, tag_id=tags[(i + k) % 20].id)
            for i, c in enumerate(conversations)
            for k in range(2)
        ),
        batch_size=10000,
    )
    recordings = Recording.objects.bulk_create(
        (Recording(team=team, conversation=c) for c in conversations), batch_size=5000
    )
    transcripts = Transcript.objects.bulk_create(
        (Transcript(team=team, recording=r) for r in recordings), batch_size=5000
    )
    log(f"{n_conversations} conversations; inserting {args.segments} segments")
    insert_segments(args, corpus, team, conversations, transcripts, people)

    rng_text = random.Random(23)

    def text(k):
        return " ".join(rng_text.choices(corpus.VOCAB, cum_weights=corpus.CUM_WEIGHTS, k=k))

    n_highlights = args.segments // 20
    highlights = Highlight.objects.bulk_create(
        (
            Highlight(
                team=team,
                conversation=conversations[i % n_conversations],
                quote=text(18),
                comment=text(6),
                start=float(i % 600),
                speaker="Customer",
            )
            for i in range(n_highlights)
        ),
        batch_size=5000,
    )
    TaggedHighlight.objects.bulk_create(
        (
            TaggedHighlight(content_object_id=h.id, tag_id=tags[i % 20].id)
            for i, h in enumerate(highlights)
        ),
        batch_size=10000,
    )
    Insight.objects.bulk_create(
        (Insight(team=team, title=text(8), details=text(30)) for _ in range(args.segments // 200)),
        batch_size=5000,
    )
    log(f"{n_highlights} highlights, {args.segments // 200} insights")
    return user


def insert_segments(args, corpus, team, conversations, transcripts, people):
    from django.db import connection, transaction

    rng = random.Random(7)
    lines = corpus.segments(args.segments, 18, rng)
    columns = (
        'team_id, transcript_id, conversation_id, "index", start, "end", text, speaker, '
        "person_id, words, uid, original_text"
    )
    uid_rng = random.Random(13)
    pg = connection.vendor == "postgresql"

    def uid():
        value = uuid.UUID(int=uid_rng.getrandbits(128), version=4)
        return value if pg else value.hex

    def rows():
        for line in lines:
            i, group, text = line.split("\t")
            i, group = int(i), int(group)
            conversation = group % len(conversations)
            customer = i % 2
            yield (
                team.id,
                transcripts[conversation].id,
                conversations[conversation].id,
                i % SEGMENTS_PER_CONVERSATION,
                float(i % SEGMENTS_PER_CONVERSATION) * 6.0,
                float(i % SEGMENTS_PER_CONVERSATION) * 6.0 + 5.5,
                text,
                "Customer" if customer else "Interviewer",
                people[conversation % 2000].id if customer else None,
                "[]",
                uid(),
                "",
            )

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY research_segment ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
        else:
            batch = []
            sql = f"INSERT INTO research_segment ({columns}) VALUES ({', '.join(['%s'] * 12)})"
            for row in rows():
                batch.append(row)
                if len(batch) == 50_000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def naive_search(team, params):
    """What a search without an index does: icontains per word, count, newest 20."""
    from django.db.models import Q

    from research.models import Conversation, Highlight, Insight, Segment

    words = [w.strip('"') for w in params["q"].split()]
    segments = Segment.objects.filter(team=team)
    if params.get("project"):
        segments = segments.filter(conversation__project__slug=params["project"])
    if params.get("kind"):
        segments = segments.filter(conversation__kind=params["kind"])
    if params.get("date_from"):
        segments = segments.filter(
            conversation__occurred_at__date__gte=params["date_from"],
            conversation__occurred_at__date__lte=params["date_to"],
        )
    if params.get("tag"):
        segments = segments.filter(conversation__tagged_items__tag__slug=params["tag"])
    if params.get("speaker"):
        segments = segments.filter(speaker=params["speaker"])
    highlights = Highlight.objects.filter(team=team)
    insights = Insight.objects.filter(team=team)
    conversations = Conversation.objects.filter(team=team)
    for word in words:
        segments = segments.filter(text__icontains=word)
        highlights = highlights.filter(Q(quote__icontains=word) | Q(comment__icontains=word))
        insights = insights.filter(Q(title__icontains=word) | Q(details__icontains=word))
        conversations = conversations.filter(Q(title__icontains=word) | Q(notes__icontains=word))
    querysets = [segments]
    if not (set(params) - {"q"}):
        querysets += [highlights, insights, conversations]
    for qs in querysets:
        qs.count()
        list(qs.order_by("-id")[:20])


def run_queries(args, corpus, user):
    from django.test import Client

    from research.models import Team

    rng = random.Random(7)
    queries = list(corpus.queries(args.queries, rng))
    plan = []
    for i, q in enumerate(queries):
        params = {"q": q}
        if i % 3 == 2:
            params.update(FILTERS[(i // 3) % len(FILTERS)])
        plan.append(params)
    client = Client()
    client.force_login(user)
    # A server that has answered a few searches (code paths, statistics, connections): 20
    # queries of the same mix from another seed, not counted.
    for i, q in enumerate(corpus.queries(20, random.Random(99))):
        client.get("/search/", {"q": q, **(FILTERS[i % len(FILTERS)] if i % 3 == 2 else {})})
    timings = []
    for params in plan:
        started = time.perf_counter()
        response = client.get("/search/", params)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (params, response.status_code)
    slowest = sorted(zip(timings, [p["q"] for p in plan], strict=True), reverse=True)[:5]
    log("slowest: " + ", ".join(f"{q!r} {t:.0f}ms" for t, q in slowest))
    team = Team.objects.get(name="Bench")
    naive = []
    n_naive = args.naive_queries if args.naive_queries is not None else len(plan)
    for params in plan[:n_naive]:
        started = time.perf_counter()
        naive_search(team, params)
        naive.append((time.perf_counter() - started) * 1000)
    return timings, naive


def main():
    args = parse_args()
    corpus = load_corpus_module(args.corpus)
    os.environ["DATABASE_URL"] = throwaway_database(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldnotes.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from research import search

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    marker = built_marker(args)
    if marker and marker.exists():
        from django.contrib.auth import get_user_model

        rebuild_seconds = float(marker.read_text())
        user = get_user_model().objects.get(username="bench")
        log(f"reusing {os.environ['DATABASE_URL']}; running {args.queries} queries")
    else:
        log(f"migrating {os.environ['DATABASE_URL']}")
        call_command("migrate", verbosity=0)
        user = build_corpus(args, corpus)
        log("rebuilding the search index")
        started = time.monotonic()
        search.rebuild(connection)
        rebuild_seconds = time.monotonic() - started
        if connection.vendor == "postgresql":
            # What autovacuum soon does to a settled database: statistics for the planner,
            # hint bits and the visibility map (index-only scans) after the bulk load.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        log(f"index rebuilt in {rebuild_seconds:.1f}s; running {args.queries} queries")
        if marker:
            marker.write_text(f"{rebuild_seconds}\n")
    timings, naive = run_queries(args, corpus, user)
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    naive_p95 = percentile(naive, 0.95)
    print(
        f"engine={connection.vendor} segments={args.segments} p50_ms={p50:.1f} p95_ms={p95:.1f} "
        f"naive_p95_ms={naive_p95:.1f} ratio={p95 / naive_p95:.3f} "
        f"index_rate={args.segments / rebuild_seconds:.0f}"
    )


if __name__ == "__main__":
    main()
