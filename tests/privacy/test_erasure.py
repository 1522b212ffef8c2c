"""Erasing a person: a unique phrase planted in their speech and notes is found nowhere after."""

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse

from research.audio import store as audio_store
from research.models import (
    AuditEvent,
    AuditKind,
    Consent,
    Conversation,
    ErasureTombstone,
    Highlight,
    Insight,
    Person,
    Project,
    Recording,
    Segment,
    Transcript,
)
from research.privacy import erasure
from research.selectors.insights import insight_strengths
from tests.builders import client_for

from .support import max_volume, stored_recording, transcript_of

TOKEN = "zorbquex"  # no stemmer changes it; nothing else in the app says it
PHRASE = f"my locker code is {TOKEN} velvet"


@pytest.fixture
def planted(team, owner, audio_root, tmp_path):
    project = Project.objects.create(team=team, name="Erasure study", slug="erasure")
    petra = Person.objects.create(
        team=team, name="Petra Quist", email="petra@example.com", notes=f"Said {PHRASE}."
    )
    ana = Person.objects.create(team=team, name="Ana Other")
    shared = Conversation.objects.create(
        team=team, project=project, title="Shared visit", created_by=owner
    )
    shared.participants.add(petra, ana)
    sole = Conversation.objects.create(
        team=team, project=project, title="One to one", created_by=owner
    )
    sole.participants.add(petra)
    for conversation in (shared, sole):
        Consent.objects.create(
            team=team,
            conversation=conversation,
            person=petra,
            given=True,
            may_record=True,
            may_transcribe=True,
            may_quote=True,
            note=f"She spelled {TOKEN}",
        )
    shared_rec = stored_recording(shared, tmp_path, title=PHRASE)
    # A normalised copy beside it, as the transcriber leaves one.
    wav = audio_store.derived_path(shared_rec, "normalised.wav")
    import subprocess

    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(audio_store.path_of(shared_rec)), "-ar", "16000"]
        + ["-metadata", f"comment={PHRASE}", str(wav)],
        check=True,
    )
    shared_t = transcript_of(
        shared_rec,
        [
            (0.3, 3.2, "And so my fellow Americans", ana),
            (3.3, 7.6, f"I think {PHRASE} honestly", petra),
            (7.7, 10.9, "what you can do for your country", None),
        ],
    )
    shared_t.voices = {"Petra Quist": {"embedding": [0.1] * 256, "seconds": 4.3}}
    shared_t.save()
    line = Segment.objects.get(transcript=shared_t, person=petra)
    line.original_text, line.text = line.text, f"I think {PHRASE}"
    line.save()
    sole_rec = stored_recording(sole, tmp_path, title=PHRASE)
    transcript_of(sole_rec, [(0.0, 5.0, f"Only me: {PHRASE}", petra)])
    quote = Highlight.objects.create(
        team=team,
        conversation=shared,
        transcript=shared_t,
        quote=PHRASE,
        start=3.3,
        end=7.6,
        speaker="Petra Quist",
        person=petra,
    )
    kept = Highlight.objects.create(
        team=team,
        conversation=shared,
        transcript=shared_t,
        quote="my fellow Americans",
        start=0.3,
        end=3.2,
        speaker="Ana Other",
        person=ana,
    )
    insight = Insight.objects.create(team=team, title="Lockers matter")
    insight.highlights.add(quote, kept)
    return {
        "petra": petra,
        "shared_rec": shared_rec,
        "sole_rec": sole_rec,
        "insight": insight,
        "shared_t": shared_t,
    }


def text_columns():
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model._meta.db_table, field.column


def rows_with_token_by_model_columns() -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(f'SELECT "{column}" FROM "{table}"')
            if any(TOKEN in str(value).lower() for (value,) in cursor.fetchall()):
                found.append(f"{table}.{column}")
    return found


def rows_with_token_anywhere() -> list[str]:
    """Every table of the database, raw: SQLite's FTS shadow tables, PostgreSQL's tsvectors."""
    found = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            for (table,) in cursor.fetchall():
                cursor.execute(f'SELECT * FROM "{table}"')
                for row in cursor.fetchall():
                    for value in row:
                        raw = value if isinstance(value, bytes) else str(value).encode()
                        if TOKEN.encode() in raw.lower():
                            found.append(table)
        else:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
            for (table,) in cursor.fetchall():
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" t WHERE t::text ILIKE %s', [f"%{TOKEN}%"]
                )
                if cursor.fetchone()[0]:
                    found.append(table)
    return sorted(set(found))


def files_with_token(root) -> list[str]:
    return [
        str(p) for p in root.rglob("*") if p.is_file() and TOKEN.encode() in p.read_bytes().lower()
    ]


@pytest.mark.django_db(transaction=True)
def test_erased_person_leaves_no_trace(planted, owner, audio_root, team):
    # The phrase is really there before: in rows, in the index and in the files.
    assert rows_with_token_by_model_columns()
    assert "research_segment" in " ".join(rows_with_token_anywhere())
    assert files_with_token(audio_root)
    petra = planted["petra"]
    plan = erasure.erasure_preview(person=petra)
    assert [r.pk for r in plan.sole_recordings] == [planted["sole_rec"].pk]
    assert [s.recording.pk for s in plan.shared] == [planted["shared_rec"].pk]
    assert plan.lines == 2 and len(plan.highlights) == 1 and plan.insights == 1

    client = client_for(owner)
    before = client.get(reverse("research:search"), {"q": TOKEN})
    assert before.context["found"].total >= 3  # her line, her quote, her person record
    url = reverse("research:person_erase", args=[petra.uid])
    page = client.get(url)
    assert page.status_code == 200 and b"only participant" in page.content
    response = client.post(url, {"confirm": "petra quist"})
    assert response.status_code == 302

    assert rows_with_token_by_model_columns() == []
    assert rows_with_token_anywhere() == []
    assert files_with_token(audio_root) == []
    assert not Person.objects.filter(pk=petra.pk).exists()
    assert not Recording.objects.filter(pk=planted["sole_rec"].pk).exists()
    assert not audio_store.path_of(planted["sole_rec"]).parent.exists()
    # Her voice is silent in the shared recording and its normalised copy; Ana still speaks.
    shared = planted["shared_rec"]
    for path in (audio_store.path_of(shared), audio_store.derived_path(shared, "normalised.wav")):
        assert max_volume(path, 3.4, 7.5) < -80
        assert max_volume(path, 0.5, 3.0) > -40
    assert Transcript.objects.get(pk=planted["shared_t"].pk).voices == {}
    assert list(
        Segment.objects.filter(transcript=planted["shared_t"]).values_list("index", flat=True)
    ) == [0, 2]
    # The insight keeps its other quote, says one was removed, and its strength counts one.
    insight = Insight.objects.get(pk=planted["insight"].pk)
    assert insight.quotes_removed == 1
    insight_page = client.get(insight.get_absolute_url()).content.decode()
    assert "1 quote removed: the people quoted were erased." in insight_page
    assert len(insight_strengths([insight.pk])[insight.pk].highlights) == 1
    # Exports and search find nothing.
    export = client.get(
        reverse("research:transcript_export", args=[planted["shared_t"].uid, "txt"])
    )
    assert export.status_code == 200 and TOKEN not in export.content.decode().lower()
    # Ana gave no consent to quoting outside: her line is left out, and the export says so.
    assert "what you can do" in export.content.decode()
    assert "1 line was left out" in export.content.decode()
    found = client.get(reverse("research:search"), {"q": TOKEN})
    assert found.status_code == 200 and found.context["found"].total == 0
    # A tombstone without personal data, and an audit event.
    tombstone = ErasureTombstone.objects.get(team=team)
    assert tombstone.erased_by == owner and tombstone.counts["lines"] == 2
    assert "Petra" not in str(tombstone.counts)
    event = AuditEvent.objects.get(team=team, kind=AuditKind.ERASURE)
    assert event.target == str(tombstone.uid) and "Petra" not in event.summary


@pytest.mark.django_db
def test_erasure_needs_the_name_typed_and_an_owner(planted, owner, teammate):
    petra = planted["petra"]
    url = reverse("research:person_erase", args=[petra.uid])
    response = client_for(owner).post(url, {"confirm": "Petra"})
    assert response.status_code == 400 and b"Type the person" in response.content
    assert client_for(teammate).post(url, {"confirm": "Petra Quist"}).status_code == 403
    assert Person.objects.filter(pk=petra.pk).exists()
    assert Segment.objects.filter(person=petra).count() == 2
    assert not ErasureTombstone.objects.exists()
