"""A transcript's speakers: renamed once for all lines, mapped, merged, lines moved, colours;
exports and the search filter read the mapped names; bad input changes nothing."""

import pytest
from django.urls import reverse

from research.models import Highlight, Person, Segment, Speaker
from research.services.highlights import highlight_create
from tests.builders import client_for, diarized

LINES = [
    ("Speaker 1", "We export the report every Monday morning."),
    ("Speaker 2", "How long does that take you?"),
    ("Speaker 1", "About an hour, sometimes two."),
    ("Speaker 3", "And the pivot table after that."),
    ("Speaker 1", "Yes the pivot table is the worst part."),
]


@pytest.fixture
def call(team, conversation):
    amara = Person.objects.create(team=team, name="Amara Okafor")
    conversation.participants.add(amara)
    transcript = diarized(team, conversation, LINES)
    return transcript, amara


def speaker(transcript, name) -> Speaker:
    return transcript.speakers.get(name=name)


def lines(transcript) -> list[tuple]:
    return list(
        Segment.objects.filter(transcript=transcript)
        .order_by("index")
        .values_list("speaker", "person__name")
    )


def snapshot(transcript) -> tuple:
    speakers = sorted(transcript.speakers.values_list("label", "name", "person_id", "colour"))
    return lines(transcript), speakers, transcript.voices, transcript.speakers_requested


def post(client, name, uid, data):
    return client.post(reverse(f"research:{name}", args=[uid]), data)


def test_speakers_get_colours_in_order_of_first_appearance(call, owner_client, conversation):
    transcript, _ = call
    colours = dict(transcript.speakers.values_list("name", "colour"))
    assert colours == {"Speaker 1": 0, "Speaker 2": 1, "Speaker 3": 2}
    body = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert body.count('class="line spk-0"') == 3 and body.count('class="line spk-1"') == 1
    assert '<rect class="spk-2" x="30.00" y="0" width="9.50" height="1">' in body
    assert (
        'class="speaker-strip"' in body
        and "style=" not in body.split('class="speaker-strip"')[1][:3000]
    )


def test_rename_once_changes_every_line_and_its_quotes(call, owner_client, owner, conversation):
    transcript, _ = call
    quote = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=20,
        end=29,
        quote="About an hour",
    )
    response = post(
        owner_client,
        "speaker_rename",
        speaker(transcript, "Speaker 1").uid,
        {"name": "  Customer   lead "},
    )
    assert response.status_code == 302
    assert [s for s, _ in lines(transcript)] == [
        "Customer lead",
        "Speaker 2",
        "Customer lead",
        "Speaker 3",
        "Customer lead",
    ]
    renamed = speaker(transcript, "Customer lead")
    assert renamed.label == "Speaker 1"  # still the key into the transcript's voices
    quote.refresh_from_db()
    assert quote.speaker == "Customer lead"


def test_rename_to_a_name_already_speaking_is_refused(call, owner_client):
    transcript, _ = call
    before = snapshot(transcript)
    response = post(
        owner_client, "speaker_rename", speaker(transcript, "Speaker 1").uid, {"name": "Speaker 2"}
    )
    assert response.status_code == 400
    assert "merge the two instead" in response.content.decode()
    assert snapshot(transcript) == before


def test_map_to_a_participant_names_every_line(call, owner_client):
    transcript, amara = call
    response = post(
        owner_client,
        "speaker_map",
        speaker(transcript, "Speaker 1").uid,
        {"person": str(amara.uid)},
    )
    assert response.status_code == 302
    assert lines(transcript)[0] == ("Amara Okafor", "Amara Okafor")
    assert lines(transcript)[2] == ("Amara Okafor", "Amara Okafor")
    mapped = transcript.speakers.get(person=amara)
    assert (mapped.label, mapped.name) == ("Speaker 1", "Amara Okafor")
    response = post(owner_client, "speaker_map", mapped.uid, {"person": ""})
    assert response.status_code == 302
    assert lines(transcript)[0] == ("Speaker 1", None)  # unmapped: its own label again
    response = post(
        owner_client,
        "speaker_map",
        speaker(transcript, "Speaker 2").uid,
        {"person": "", "is_interviewer": "on"},
    )
    assert response.status_code == 302
    assert speaker(transcript, "Speaker 2").is_interviewer


def test_merge_gives_all_lines_and_the_voice_to_the_other(call, owner_client, team):
    transcript, _ = call
    transcript.voices = {
        "Speaker 1": {"embedding": [1.0, 0.0], "seconds": 30.0},
        "Speaker 3": {"embedding": [0.0, 1.0], "seconds": 10.0},
    }
    transcript.save()
    three, one = speaker(transcript, "Speaker 3"), speaker(transcript, "Speaker 1")
    response = post(owner_client, "speaker_merge", three.uid, {"into": str(one.uid)})
    assert response.status_code == 302
    assert [s for s, _ in lines(transcript)] == [
        "Speaker 1",
        "Speaker 2",
        "Speaker 1",
        "Speaker 1",
        "Speaker 1",
    ]
    assert not Speaker.objects.filter(pk=three.pk).exists()
    transcript.refresh_from_db()
    assert transcript.voices == {"Speaker 1": {"embedding": [0.75, 0.25], "seconds": 40.0}}


def test_move_one_line_and_a_range_of_lines(call, owner_client):
    transcript, _ = call
    two = speaker(transcript, "Speaker 2")
    url_uid = transcript.uid
    response = post(owner_client, "lines_move", url_uid, {"lines": ["4"], "speaker": str(two.uid)})
    assert response.status_code == 302
    assert [s for s, _ in lines(transcript)][4] == "Speaker 2"
    one = speaker(transcript, "Speaker 1")
    response = post(
        owner_client,
        "lines_move",
        url_uid,
        {"lines": ["1", "3"], "through": "on", "speaker": str(one.uid)},
    )
    assert response.status_code == 302
    assert [s for s, _ in lines(transcript)] == ["Speaker 1"] * 4 + ["Speaker 2"]


def test_detect_again_stores_the_number_asked(call, owner_client):
    transcript, _ = call
    assert (
        post(owner_client, "speakers_detect", transcript.uid, {"num_speakers": "4"}).status_code
        == 302
    )
    transcript.refresh_from_db()
    assert transcript.speakers_requested == 4


@pytest.mark.parametrize(
    "name,target,data,message",
    [
        ("speaker_rename", "speaker", {"name": "   "}, "required"),
        ("speaker_rename", "speaker", {"name": "x" * 101}, "at most 100"),
        ("speaker_map", "speaker", {"person": "not-a-uuid"}, "participants of this conversation"),
        ("speaker_map", "speaker", {"person": "stranger"}, "participants of this conversation"),
        ("speaker_map", "speaker", {"person": "amara", "is_interviewer": "on"}, "not one of the"),
        ("speaker_merge", "speaker", {"into": "self"}, "another speaker"),
        ("speaker_merge", "speaker", {"into": "other-transcript"}, "another speaker"),
        ("speaker_merge", "speaker", {}, "required"),
        ("lines_move", "transcript", {"speaker": "two"}, "Tick the lines"),
        ("lines_move", "transcript", {"lines": ["1", "99"], "speaker": "two"}, "not all in this"),
        ("lines_move", "transcript", {"lines": ["x"], "speaker": "two"}, "by their numbers"),
        ("lines_move", "transcript", {"lines": ["-1"], "speaker": "two"}, "by their numbers"),
        ("lines_move", "transcript", {"lines": ["1"], "speaker": "other-transcript"}, "of this"),
        ("lines_move", "transcript", {"lines": ["1"]}, "required"),
        ("speakers_detect", "transcript", {"num_speakers": "0"}, "greater than or equal to 1"),
        ("speakers_detect", "transcript", {"num_speakers": "11"}, "less than or equal to 10"),
        ("speakers_detect", "transcript", {"num_speakers": "two"}, "whole number"),
        ("speaker_voice_confirm", "speaker", {"person": "amara"}, "does not match"),
        ("speaker_voice_confirm", "speaker", {"person": "nope"}, "person of your team"),
    ],
)
def test_bad_input_answers_400_and_changes_nothing(
    call, owner_client, team, conversation, name, target, data, message
):
    transcript, amara = call
    other = diarized(team, conversation, [("Speaker 9", "Elsewhere")], version=2)
    stranger = Person.objects.create(team=team, name="Not here")
    one = speaker(transcript, "Speaker 1")
    ids = {
        "amara": str(amara.uid),
        "stranger": str(stranger.uid),
        "self": str(one.uid),
        "two": str(speaker(transcript, "Speaker 2").uid),
        "other-transcript": str(other.speakers.get().uid),
    }
    data = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in data.items()}
    before, highlights = snapshot(transcript), Highlight.objects.count()
    uid = one.uid if target == "speaker" else transcript.uid
    response = post(owner_client, name, uid, data)
    assert response.status_code == 400, response.status_code
    assert message in response.content.decode()
    assert snapshot(transcript) == before and Highlight.objects.count() == highlights


@pytest.mark.parametrize(
    "name", ["speaker_rename", "speaker_map", "speaker_merge", "speaker_voice_confirm"]
)
def test_unknown_speaker_is_404(owner_client, name):
    response = post(owner_client, name, "5b0c1d4e-0000-4000-8000-000000000000", {"name": "x"})
    assert response.status_code == 404


def test_viewer_is_refused_and_nothing_changes(call, viewer):
    transcript, amara = call
    before = snapshot(transcript)
    client = client_for(viewer)
    one, two = speaker(transcript, "Speaker 1"), speaker(transcript, "Speaker 2")
    assert post(client, "speaker_rename", one.uid, {"name": "Viewer"}).status_code == 403
    assert post(client, "speaker_map", one.uid, {"person": str(amara.uid)}).status_code == 403
    assert post(client, "speaker_merge", one.uid, {"into": str(two.uid)}).status_code == 403
    assert (
        post(
            client, "lines_move", transcript.uid, {"lines": ["0"], "speaker": str(two.uid)}
        ).status_code
        == 403
    )
    assert post(client, "speakers_detect", transcript.uid, {"num_speakers": "2"}).status_code == 403
    assert snapshot(transcript) == before
    body = client.get(transcript.recording.conversation.get_absolute_url()).content.decode()
    assert 'class="line spk-0"' in body and "speaker_rename" not in body and "/rename/" not in body


def test_exports_and_search_filter_use_the_mapped_names(call, owner_client, team):
    transcript, amara = call
    one, two = speaker(transcript, "Speaker 1"), speaker(transcript, "Speaker 2")
    post(owner_client, "speaker_map", one.uid, {"person": str(amara.uid)})
    post(owner_client, "speaker_rename", two.uid, {"name": "Olivia (research)"})
    for fmt, expected in [
        ("txt", "[0:20] Amara Okafor: About an hour, sometimes two.\n"),
        ("srt", "Olivia (research): How long does that take you?\n"),
        ("vtt", "Amara Okafor: Yes the pivot table is the worst part.\n"),
    ]:
        url = reverse("research:transcript_export", args=[transcript.uid, fmt])
        body = owner_client.get(url).content.decode()
        assert expected in body, fmt
        assert "Speaker 1" not in body and "Speaker 2" not in body
    url = reverse("research:search")
    page = owner_client.get(url, {"q": "pivot", "speaker": "Amara Okafor"}).content.decode()
    assert "worst part" in page and "after that" not in page  # Speaker 3's pivot line
    none = owner_client.get(url, {"q": "pivot", "speaker": "Speaker 1"}).content.decode()
    assert "worst part" not in none


def test_a_speaker_name_is_shown_as_text_everywhere(call, owner_client, conversation):
    transcript, _ = call
    name = '<img src=x onerror="alert(1)">'
    post(owner_client, "speaker_rename", speaker(transcript, "Speaker 2").uid, {"name": name})
    body = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert name not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body
