"""The migration that brings speakers gives every existing transcript one Speaker per name on
its lines, coloured in order of first appearance and mapped to the person its lines carry."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("research", "0004_consent_scopes_audit_voices_stage")]
AFTER = [("research", "0005_speakers_voice_profiles")]


@pytest.mark.django_db(transaction=True)
def test_existing_transcripts_get_their_speakers():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    team = old.get_model("research", "Team").objects.create(name="Old team")
    project = old.get_model("research", "Project").objects.create(team=team, name="P", slug="p")
    person = old.get_model("research", "Person").objects.create(team=team, name="Ana")
    conversation = old.get_model("research", "Conversation").objects.create(
        team=team, project=project, title="Old call"
    )
    recording = old.get_model("research", "Recording").objects.create(
        team=team, conversation=conversation, original_name="old.m4a"
    )
    transcript = old.get_model("research", "Transcript").objects.create(
        team=team, recording=recording, version=1
    )
    Segment = old.get_model("research", "Segment")
    for index, (name, who) in enumerate(
        [("Interviewer", None), ("Ana", person), ("", None), ("Interviewer", None)]
    ):
        Segment.objects.create(
            team=team,
            transcript=transcript,
            conversation=conversation,
            index=index,
            start=index,
            end=index + 1,
            text="x",
            speaker=name,
            person=who,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("research", "Speaker").objects.order_by("colour")
    assert [(s.label, s.name, s.person_id, s.colour) for s in rows] == [
        ("Interviewer", "Interviewer", None, 0),
        ("Ana", "Ana", person.pk, 1),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
