"""Search everything (issue 6). The same tests run on SQLite (FTS5) and PostgreSQL."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from research import search
from research.models import (
    Conversation,
    Feature,
    Highlight,
    Insight,
    InsightFeatureLink,
    Organization,
    Person,
    Project,
    Recording,
    Segment,
    Transcript,
)
from research.services.tags import tags_set
from tests.builders import client_for

URL = reverse("research:search")


def when(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, 10, 0))


def add_transcript(conversation, lines, *, recording=None, version=1):
    """lines: (start, speaker, text[, person]) tuples; returns the segments."""
    recording = recording or Recording.objects.create(
        team=conversation.team, conversation=conversation, original_name="call.m4a"
    )
    transcript = Transcript.objects.create(
        team=conversation.team, recording=recording, version=version
    )
    return [
        Segment.objects.create(
            team=conversation.team,
            transcript=transcript,
            conversation=conversation,
            index=i,
            start=line[0],
            end=line[0] + 4,
            speaker=line[1],
            text=line[2],
            person=line[3] if len(line) > 3 else None,
        )
        for i, line in enumerate(lines)
    ]


@pytest.fixture
def corpus(team, owner):
    exports = Project.objects.create(team=team, name="Exports study", slug="exports-study")
    onboarding = Project.objects.create(team=team, name="Onboarding", slug="onboarding")
    nordwind = Organization.objects.create(team=team, name="Nordwind GmbH")
    ana = Person.objects.create(team=team, name="Ana Müller", organization=nordwind)
    bob = Person.objects.create(team=team, name="Bob Stone", title="Plant operator")
    call = Conversation.objects.create(
        team=team,
        project=exports,
        title="Call with Nordwind",
        kind="call",
        occurred_at=when(2),
        notes="They print every delivery label twice.",
    )
    call.participants.add(ana)
    tags_set(obj=call, names=["exports"])
    visit = Conversation.objects.create(
        team=team,
        project=onboarding,
        title="Site visit Bob",
        kind="site_visit",
        occurred_at=when(20),
    )
    visit.participants.add(bob)
    tags_set(obj=visit, names=["onboarding", "mobile"])
    segments = add_transcript(
        call,
        [
            (12.5, "Ana", "The monthly exports are far too slow for our controllers.", ana),
            (30.0, "Interviewer", "What happens with the export report after that?"),
            (41.0, "Ana", "We open the report export in the café on Fridays.", ana),
            (55.0, "Ana", "The pump sensor and the valve alarm fire together."),
            (60.0, "Ana", "Only the pump sensor fires at night."),
        ],
    )
    add_transcript(
        visit,
        [
            (5.0, "Bob", "The printer drops the label when the scanner is offline."),
            (9.0, "Bob", "Mobile sync is slow in the warehouse."),
        ],
    )
    highlight = Highlight.objects.create(
        team=team,
        conversation=call,
        quote="The monthly exports are far too slow",
        comment="Controllers wait for exports",
        start=12.5,
        end=16.5,
        speaker="Ana",
        person=ana,
    )
    tags_set(obj=highlight, names=["exports", "performance"])
    insight = Insight.objects.create(
        team=team, title="Exports are too slow for finance teams", details="Seen in 4 calls."
    )
    insight.highlights.add(highlight)
    insight.conversations.add(call)
    tags_set(obj=insight, names=["exports"])
    feature = Feature.objects.create(
        team=team, name="Scheduled exports", description="Run exports overnight."
    )
    InsightFeatureLink.objects.create(team=team, insight=insight, feature=feature)
    return {
        "call": call,
        "visit": visit,
        "ana": ana,
        "bob": bob,
        "nordwind": nordwind,
        "segments": segments,
        "highlight": highlight,
        "insight": insight,
        "feature": feature,
    }


def results(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.context["found"].results


def texts(found) -> list[str]:
    return [re.sub(r"</?mark>", "", str(r.snippet)) for r in found]


def kinds(found) -> set[str]:
    return {r.kind for r in found}


# --- Query language ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_words_are_stemmed_and_case_and_accents_ignored(owner_client, corpus):
    found = results(owner_client, q="EXPORTING", type="transcript")
    assert {r.id for r in found} == {s.id for s in corpus["segments"][:3]}
    found = results(owner_client, q="cafe", type="transcript")
    assert [r.id for r in found] == [corpus["segments"][2].id]
    assert [r.id for r in results(owner_client, q="müller", type="person")] == [corpus["ana"].id]
    assert [r.id for r in results(owner_client, q="MULLER", type="person")] == [corpus["ana"].id]


@pytest.mark.django_db
def test_phrase_exclusion_and_or(owner_client, corpus):
    s = corpus["segments"]
    assert [r.id for r in results(owner_client, q='"export report"', type="transcript")] == [
        s[1].id
    ]
    assert {r.id for r in results(owner_client, q="pump sensor", type="transcript")} == {
        s[3].id,
        s[4].id,
    }
    assert [r.id for r in results(owner_client, q="pump -valve", type="transcript")] == [s[4].id]
    found = results(owner_client, q="valve OR printer", type="transcript")
    assert texts(found) and {t.split()[1] for t in texts(found)} == {"pump", "printer"}


@pytest.mark.django_db
def test_results_are_ranked_and_typed(owner_client, corpus):
    found = results(owner_client, q="exports slow")
    assert kinds(found) == {"transcript", "highlight", "insight"}
    # The curated insight, whose title says it, outranks the raw transcript line.
    assert found[0].kind == "insight"
    assert found[0].title == "Exports are too slow for finance teams"


@pytest.mark.django_db
def test_transcript_hit_shows_speaker_time_and_links_to_the_moment(owner_client, corpus):
    response = owner_client.get(URL, {"q": "controllers", "type": "transcript"})
    body = response.content.decode()
    call = corpus["call"]
    recording = call.recordings.get()
    # The link names the recording: a conversation may have several players.
    assert (
        f'href="{call.get_absolute_url()}?recording={recording.uid}&amp;segment=0#t=12.5"' in body
    )
    assert "▶ 0:12" in body
    assert "Ana Müller" in body and "Nordwind GmbH" in body and "2 Mar 2026" in body
    assert "<mark>controllers</mark>" in body
    assert "Call with Nordwind" in body


@pytest.mark.django_db
def test_snippets_are_escaped_before_marking(owner_client, corpus):
    add_transcript(
        corpus["visit"], [(1.0, "Bob", '<script>alert("x")</script> <b>zanzibar</b> & co')]
    )
    body = owner_client.get(URL, {"q": "zanzibar"}).content.decode()
    assert "<script>alert" not in body and "<b>" not in body
    assert "&lt;script&gt;" in body
    assert re.search(r"&lt;b&gt;<mark>zanzibar</mark>&lt;/b&gt;", body)


@pytest.mark.django_db
def test_only_the_current_transcript_version_is_searched(owner_client, corpus):
    recording = Recording.objects.create(team=corpus["call"].team, conversation=corpus["visit"])
    add_transcript(corpus["visit"], [(1.0, "A", "the old tractor")], recording=recording)
    assert texts(results(owner_client, q="tractor")) == ["the old tractor"]
    add_transcript(corpus["visit"], [(1.0, "A", "the new tractor")], recording=recording, version=2)
    assert texts(results(owner_client, q="tractor")) == ["the new tractor"]


# --- The index follows every write -------------------------------------------------------------


@pytest.mark.django_db
def test_index_follows_create_edit_and_delete(owner_client, corpus):
    segment = corpus["segments"][0]
    segment.text = "Quarterly invoices arrive late."
    segment.save()
    assert not results(owner_client, q="controllers", type="transcript")
    assert [r.id for r in results(owner_client, q="invoices")] == [segment.id]
    segment.delete()
    assert not results(owner_client, q="invoices")

    Segment.objects.filter(pk=corpus["segments"][1].pk).update(text="Bulk edited gazebo")
    assert texts(results(owner_client, q="gazebo")) == ["Bulk edited gazebo"]

    call = corpus["call"]
    call.notes = "Nothing about labels now, only about the kiosk."
    call.save()
    assert not results(owner_client, q="delivery label", type="conversation")
    assert [r.id for r in results(owner_client, q="kiosk")] == [call.id]

    corpus["ana"].delete()
    assert not results(owner_client, q="müller")
    corpus["feature"].delete()
    assert not results(owner_client, q="overnight")
    call.delete()  # cascades to its transcript lines and highlights
    # The insight, and the tag "exports" (its page lists what still carries it).
    assert kinds(results(owner_client, q="exports")) == {"insight", "tag"}


@pytest.mark.django_db
def test_rebuild_command_restores_the_index(owner_client, corpus):
    search.uninstall(connection)
    call_command("search_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert search.installed(connection)
    assert {r.kind for r in results(owner_client, q="exports")} >= {"transcript", "feature"}
    Segment.objects.filter(pk=corpus["segments"][0].pk).update(text="after rebuild walrus")
    assert texts(results(owner_client, q="walrus")) == ["after rebuild walrus"]


# --- Filters and counts ------------------------------------------------------------------------


def facet(response, name) -> dict[str, str]:
    for f in response.context["facets"]:
        if f["name"] == name:
            return {v["label"]: v["count"] for v in f["values"]}
    return {}


@pytest.mark.django_db
def test_filters_narrow_results_and_are_counted(owner_client, corpus):
    response = owner_client.get(URL, {"q": "exports"})
    assert facet(response, "type") == {
        "Transcript": "3",
        "Highlight": "1",
        "Insight": "1",
        "Feature": "1",
        "Tag": "1",
    }
    assert facet(response, "project") == {"Exports study": "4"}
    assert facet(response, "tag") == {"exports": "5", "performance": "1"}
    assert facet(response, "speaker") == {"Ana": "3", "Interviewer": "1"}
    assert facet(response, "person") == {"Ana Müller": "4"}
    assert facet(response, "organization") == {"Nordwind GmbH": "4"}
    assert facet(response, "feature") == {"Scheduled exports": "1"}

    assert kinds(results(owner_client, q="exports", type="highlight")) == {"highlight"}
    assert kinds(results(owner_client, q="slow", project="onboarding")) == {"transcript"}
    assert kinds(results(owner_client, q="slow", kind="site_visit")) == {"transcript"}
    found = results(owner_client, q="slow", tag=["onboarding", "mobile"])
    assert texts(found) == ["Mobile sync is slow in the warehouse."]
    assert not results(owner_client, q="slow", tag=["onboarding", "performance"])
    found = results(owner_client, q="slow", tag=["onboarding", "performance"], tags="any")
    assert kinds(found) == {"transcript", "highlight"}
    found = results(owner_client, q="slow", person=str(corpus["bob"].uid))
    assert texts(found) == ["Mobile sync is slow in the warehouse."]
    found = results(owner_client, q="slow", organization=str(corpus["nordwind"].uid))
    assert kinds(found) == {"transcript", "highlight", "insight"}
    found = results(owner_client, q="slow", feature=str(corpus["feature"].uid))
    assert [r.id for r in found] == [corpus["insight"].id]
    found = results(owner_client, q="slow", date_from="2026-03-10", date_to="2026-03-31")
    assert texts(found) == ["Mobile sync is slow in the warehouse."]
    found = results(owner_client, q="sensor", speaker="Ana", type="transcript")
    assert len(found) == 2
    assert not results(owner_client, q="sensor", speaker="Bob")


@pytest.mark.django_db
def test_filters_live_in_the_url(owner_client, corpus):
    response = owner_client.get(URL, {"q": "slow", "tag": "mobile"})
    body = response.content.decode()
    # Each filter value links to the same search with that value toggled.
    assert 'href="?q=slow&amp;tag=mobile&amp;tag=onboarding"' in body
    assert 'href="?q=slow"' in body  # removing the only selected tag
    assert '<input type="hidden" name="tag" value="mobile">' in body


@pytest.mark.django_db
def test_bad_filter_values_are_a_clear_400(owner_client, corpus):
    for params in [
        {"q": "x", "person": "not-a-uuid"},
        {"q": "x", "date_from": "2026-13-45"},
        {"q": "x", "date_from": "2026-03-10", "date_to": "2026-03-01"},
        {"q": "x", "type": "secret"},
        {"q": "x", "page": "0"},
    ]:
        response = owner_client.get(URL, params)
        assert response.status_code == 400, params
        assert 'role="alert"' in response.content.decode()


@pytest.mark.django_db
def test_paging(owner_client, corpus):
    add_transcript(corpus["visit"], [(float(i), "Bob", f"pallet number {i}") for i in range(45)])
    response = owner_client.get(URL, {"q": "pallet", "page": 3})
    assert response.context["found"].page == 3
    assert len(response.context["found"].results) == 5
    assert "Page 3 of 3" in response.content.decode()


# --- Team isolation ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_other_teams_never_appear(owner_client, corpus, outsider):
    team = outsider.team
    project = Project.objects.create(team=team, name="Xylophage project", slug="xylophage")
    org = Organization.objects.create(team=team, name="Xylophage Org")
    person = Person.objects.create(team=team, name="Xylophage Person", organization=org)
    conv = Conversation.objects.create(
        team=team, project=project, title="Xylophage talk", notes="xylophage exports"
    )
    conv.participants.add(person)
    tags_set(obj=conv, names=["xylophage-tag"])
    add_transcript(conv, [(1.0, "Xylophage speaker", "xylophage exports slow")])
    Highlight.objects.create(team=team, conversation=conv, quote="xylophage exports")
    Insight.objects.create(team=team, title="xylophage exports insight")
    Feature.objects.create(team=team, name="xylophage exports feature")

    for params in [
        {"q": "xylophage"},
        {"q": "exports"},
        {"q": "xylophage", "tag": "xylophage-tag"},
    ]:
        response = owner_client.get(URL, params)
        assert response.status_code == 200
        assert "ylophage" not in response.content.decode().replace(params["q"], ""), params
    assert not results(owner_client, q="xylophage")
    assert not results(owner_client, q="exports", project="xylophage")
    assert not results(owner_client, q="exports", person=str(person.uid))
    # ... and the outsider sees only their own team's matches.
    found = results(client_for(outsider), q="exports")
    assert found and all("ylophage" in str(r.snippet) + r.title for r in found)


# --- Any input is safe -------------------------------------------------------------------------


NASTY = [
    '"abc',
    "a OR",
    "OR",
    "OR OR a",
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "expo*",
    "col:",
    "text:exports",
    "-",
    "--",
    "-exports",
    '""',
    '"',
    "a AND NOT b",
    "(a",
    "a) OR (b",
    "!!a & b | c <-> d",
    "' OR 1=1 --",
    "^exports",
    "%_",
    "\\",
    "the",
    "ünïcödé",
    "日本語 テスト",
    "🙂 exports",
    "x" * 500,
]


@pytest.mark.django_db
@pytest.mark.parametrize("q", NASTY)
def test_nasty_queries_answer_200(owner_client, corpus, q):
    assert owner_client.get(URL, {"q": q}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["x" * 10_000, "a\x00b", "\x00"])
def test_oversized_or_nul_queries_answer_a_clear_400(owner_client, corpus, q):
    response = owner_client.get(URL, {"q": q})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@pytest.mark.django_db
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=600), tag=st.text(max_size=30), speaker=st.text(max_size=30))
def test_any_input_is_200_or_400(owner_client, corpus, q, tag, speaker):
    response = owner_client.get(URL, {"q": q, "tag": tag, "speaker": speaker})
    assert response.status_code in (200, 400), (q, response.status_code)


def test_parse_query_keeps_only_words():
    parsed = search.parse_query('Expörts "export  report" -valve pump OR sensor col: NEAR( *')
    assert [[t.text for t in g] for g in parsed.groups] == [
        ["expörts"],
        ["export report"],
        ["pump", "sensor"],
        ["col"],
        ["near"],
    ]
    assert [t.text for t in parsed.excluded] == ["valve"]
    expression = search.fts5_expression(search.parse_query('pump -valve alarm OR "sync data"'))
    assert expression == '(("pump") AND ("alarm" OR "sync data")) NOT "valve"'
    assert search.parse_query("the of and").is_empty


def test_mark_snippet_escapes_and_balances():
    raw = "<i>x</i> \x02hit\x03 & \x03stray \x02open"
    assert str(search.mark_snippet(raw)) == (
        "&lt;i&gt;x&lt;/i&gt; <mark>hit</mark> &amp; stray <mark>open</mark>"
    )


# --- The page ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_header_has_the_search_box(owner_client, corpus):
    body = owner_client.get(reverse("research:dashboard")).content.decode()
    assert f'action="{URL}"' in body and 'name="q"' in body
    body = owner_client.get(URL, {"q": "pump"}).content.decode()
    assert 'aria-label="Search everything" value="pump"' in body


@pytest.mark.django_db
def test_empty_and_stop_word_queries(owner_client, corpus):
    response = owner_client.get(URL)
    assert response.status_code == 200 and "Search every transcript" in response.content.decode()
    response = owner_client.get(URL, {"q": "the and"})
    assert "no words to search for" in response.content.decode()


@pytest.mark.django_db
def test_query_count_is_bounded(owner_client, corpus, django_assert_max_num_queries):
    for i in range(5):
        add_transcript(
            corpus["visit"], [(float(j), "Bob", f"export line {i} {j}") for j in range(5)]
        )
    with django_assert_max_num_queries(40):
        owner_client.get(URL, {"q": "export"})


@pytest.mark.django_db
def test_viewer_can_search(corpus, viewer):
    assert results(client_for(viewer), q="exports")


@pytest.mark.django_db
@pytest.mark.parametrize("plan", ["walk", "gin", "slices", "ranges"])
def test_every_postgres_plan_finds_the_same(owner_client, corpus, monkeypatch, plan):
    """PostgreSQL walks newest first for common words, collects rare ones from GIN, and reads
    a long list of filtered conversations, or the newest ids, a slice at a time: the same
    answers every way."""

    def forced(connection, source, query, where, sliced, limit):
        newest = search.planner._newest_first(connection, sliced.value) if sliced else []
        return plan, 1, newest

    monkeypatch.setattr(search.planner, "plan", forced)
    found = results(owner_client, q="exports -report", type="transcript")
    assert [r.id for r in found] == [corpus["segments"][0].id]

    project = Project.objects.create(team=corpus["visit"].team, name="Gearboxes", slug="gears")
    lines = []
    for day in range(1, 7):
        conversation = Conversation.objects.create(
            team=project.team, project=project, title=f"Visit {day}", occurred_at=when(day)
        )
        lines += add_transcript(conversation, [(1.0, "Bob", f"the gearbox whines, day {day}")])
    monkeypatch.setattr("research.search.page.CANDIDATE_LIMIT", 3)
    found = results(owner_client, q="gearbox", project="gears", type="transcript")
    assert sorted(r.id for r in found) == sorted(s.id for s in lines[-3:])
    assert owner_client.get(URL, {"q": "gearbox", "project": "gears"}).context["total"] == "3+"


@pytest.mark.django_db
def test_a_remade_table_gets_its_index_back(owner_client, corpus):
    """SQLite drops a table's triggers when a migration remakes it; post_migrate repairs."""
    if connection.vendor != "sqlite":
        assert not search.repair(connection)
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER research_search_transcript_ai")
    assert not search.installed(connection)
    assert search.repair(connection)
    assert search.installed(connection)
    add_transcript(corpus["visit"], [(1.0, "Bob", "after repair narwhal")])
    assert texts(results(owner_client, q="narwhal")) == ["after repair narwhal"]


@pytest.mark.django_db(transaction=True)
def test_postgres_reads_transcripts_beside_the_rest(owner_client, corpus, monkeypatch):
    """Outside a transaction, PostgreSQL finds transcript matches on a helper thread's own
    connection while the request's connection finds the other types: the same answers."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads in the request's thread")
    import threading

    from research.search import parallel

    assert parallel.enabled()
    threads = {}
    find = search.candidates

    def recording(**kwargs):
        threads[kwargs["kind"]] = threading.current_thread().name
        return find(**kwargs)

    monkeypatch.setattr("research.search.page.candidates", recording)
    found = results(owner_client, q="exports")
    assert "transcript" in kinds(found) and "highlight" in kinds(found)
    assert threads["transcript"].startswith("search")
    assert threads["highlight"] == threading.current_thread().name
    monkeypatch.setattr("django.conf.settings.FIELDNOTES_SEARCH_PARALLEL", False)
    assert [(r.kind, r.id) for r in results(owner_client, q="exports")] == [
        (r.kind, r.id) for r in found
    ]
    assert threads["transcript"] == threading.current_thread().name
