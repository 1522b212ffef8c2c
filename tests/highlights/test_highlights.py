"""Highlights: made from the transcript or the notes, listed on the conversation, robust to
re-transcription, and refused cleanly on bad input."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from research.models import Highlight, Recording, TaggedHighlight, TeamTag, Transcript
from research.selectors.highlights import drift_of
from research.services.highlights import highlight_create
from tests.builders import interview, retranscribe

QUOTE = "I rebuild the same pivot table for my manager."


@pytest.fixture
def ana(team, owner):
    return interview(team, owner)


def _create_url(conversation):
    return reverse("research:highlight_create", args=[conversation.uid])


def test_highlight_from_transcript_keeps_quote_range_speaker_and_tags(owner_client, team, ana):
    conversation, transcript, person = ana
    response = owner_client.post(
        _create_url(conversation),
        {
            "quote": f"  {QUOTE}\n",
            "transcript": str(transcript.uid),
            "start": "20",
            "end": "29.5",
            "tags": "reporting, Excel",
            "comment": "Weekly pain",
        },
    )
    highlight = Highlight.objects.get(team=team)
    assert response.status_code == 302
    assert response["Location"] == (
        f"{conversation.get_absolute_url()}?recording={transcript.recording.uid}"
        f"&highlight={highlight.uid}#t=20"
    )
    assert (highlight.quote, highlight.start, highlight.end) == (QUOTE, 20.0, 29.5)
    assert (highlight.speaker, highlight.person) == ("Ana", person)
    assert highlight.transcript == transcript
    assert highlight.comment == "Weekly pain"
    assert sorted(t.name for t in highlight.tags.all()) == ["Excel", "reporting"]
    assert set(TeamTag.objects.values_list("team_id", flat=True)) == {team.pk}


def test_highlight_over_two_speakers_takes_who_said_most_and_is_marked_mixed(owner, ana):
    conversation, transcript, person = ana
    # Ana speaks 5-9.5 s (4.5 s of the quote), the interviewer 10-15 s (5 s).
    asked = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=5,
        end=15,
        quote="every Monday. What do you do",
    )
    assert (asked.speaker, asked.person, asked.speaker_mixed) == ("Interviewer", None, True)
    assert asked.by_interviewer
    said = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=3,
        end=11,
        quote="an hour every Monday. What",
    )
    assert (said.speaker, said.person, said.speaker_mixed) == ("Ana", person, True)
    assert not said.by_interviewer
    alone = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=1,
        end=4,
        quote="Exporting to Excel",
    )
    assert (alone.speaker, alone.speaker_mixed) == ("Ana", False)


def test_highlight_from_notes_has_no_time_range(owner_client, team, ana):
    conversation, _, _ = ana
    response = owner_client.post(
        _create_url(conversation), {"quote": "weekly exports", "tags": "exports"}
    )
    assert response.status_code == 302
    highlight = Highlight.objects.get(team=team)
    assert (highlight.start, highlight.end, highlight.transcript) == (None, None, None)
    assert response["Location"].endswith(f"#hl-{highlight.uid}")


def test_conversation_page_lists_highlights_with_links_back_and_play_buttons(
    owner_client, owner, ana
):
    conversation, transcript, _ = ana
    highlight = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=20,
        end=29.5,
        quote=QUOTE,
        tags=["reporting"],
    )
    body = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert f'id="hl-{highlight.uid}"' in body
    assert 'data-clip-start="20.00" data-clip-end="29.50"' in body
    assert f'href="{escape(highlight.get_absolute_url())}"' in body
    # The transcript is selectable: every word carries its own time range.
    assert f'data-transcript="{transcript.uid}"' in body
    assert '<span class="w" data-start="20.00" data-end="21.06">I</span>' in body
    assert "Transcript changed here" not in body


def test_retranscribing_keeps_the_highlight_and_shows_the_text_changed(owner_client, owner, ana):
    conversation, transcript, _ = ana
    changed = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=20,
        end=29.5,
        quote=QUOTE,
    )
    same = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=0,
        end=9.5,
        quote="Exporting to Excel takes me an hour",
    )
    retranscribe(
        transcript,
        {
            2: "I rebuild the same pivot chart for my boss.",
            0: "exporting to excel, takes me an hour every Monday!",
        },
    )
    body = owner_client.get(conversation.get_absolute_url()).content.decode()
    changed.refresh_from_db()
    assert (changed.quote, changed.start, changed.end) == (QUOTE, 20.0, 29.5)
    item = body[body.index(f'id="hl-{changed.uid}"') :]
    item = item[: item.index("</li>")]
    assert "Transcript changed here" in item
    assert "I rebuild the same pivot chart for my boss." in item
    # Punctuation and case are not a change of words.
    item = body[body.index(f'id="hl-{same.uid}"') :]
    assert "Transcript changed here" not in item[: item.index("</li>")]


def test_editing_a_highlight_keeps_its_place(owner_client, owner, ana):
    conversation, transcript, _ = ana
    highlight = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=20,
        end=29.5,
        quote=QUOTE,
    )
    response = owner_client.post(
        reverse("research:highlight_edit", args=[highlight.uid]),
        {"quote": "the same pivot table", "comment": "shorter", "tags": "pivot", "start": "1"},
    )
    assert response.status_code == 302
    highlight.refresh_from_db()
    assert (highlight.quote, highlight.start, highlight.end) == ("the same pivot table", 20, 29.5)
    assert [t.name for t in highlight.tags.all()] == ["pivot"]


def test_delete_highlight(owner_client, owner, ana):
    conversation, _, _ = ana
    highlight = highlight_create(conversation=conversation, created_by=owner, quote="weekly")
    response = owner_client.post(reverse("research:highlight_delete", args=[highlight.uid]))
    assert response.status_code == 302
    assert not Highlight.objects.filter(pk=highlight.pk).exists()


def _foreign_transcript(outsider):
    other, transcript, _ = interview(outsider.team, outsider, title="Theirs", org_name="Initech")
    return transcript


def _other_conversation_transcript(team, owner):
    _, transcript, _ = interview(team, owner, title="Another interview", person_name="Bo")
    return transcript


BAD_INPUT = [
    # (case, posted fields, the field whose message explains it, words in the message)
    ("empty quote", {"quote": "   "}, "quote", "can't be empty"),
    (
        "empty quote from the transcript",
        {"quote": "", "start": "0", "end": "5", "transcript": "T"},
        "quote",
        "can't be empty",
    ),
    (
        "time range past the recording's end",
        {"quote": "x", "start": "30", "end": "55", "transcript": "T"},
        "end",
        "ends after the recording",
    ),
    (
        "end before start",
        {"quote": "x", "start": "9", "end": "3", "transcript": "T"},
        "end",
        "must come after the start",
    ),
    (
        "negative start",
        {"quote": "x", "start": "-4", "end": "3", "transcript": "T"},
        "start",
        "greater than or equal to 0",
    ),
    (
        "times without a transcript",
        {"quote": "x", "start": "1", "end": "3"},
        "start",
        "Only quotes from a transcript",
    ),
    (
        "transcript without times",
        {"quote": "x", "transcript": "T"},
        "start",
        "needs its start and end",
    ),
    (
        "another team's transcript",
        {"quote": "x", "start": "1", "end": "3", "transcript": "FOREIGN"},
        "transcript",
        "not part of your team",
    ),
    (
        "a transcript of another conversation",
        {"quote": "x", "start": "1", "end": "3", "transcript": "SIBLING"},
        "transcript",
        "not part of this conversation",
    ),
    (
        "garbage transcript id",
        {"quote": "x", "start": "1", "end": "3", "transcript": "not-a-uuid"},
        "transcript",
        "not part of your team",
    ),
]


@pytest.mark.parametrize("case,data,field,message", BAD_INPUT, ids=[case for case, *_ in BAD_INPUT])
def test_bad_highlight_input_is_a_clear_400_and_saves_nothing(
    owner_client, team, owner, outsider, ana, case, data, field, message
):
    conversation, transcript, _ = ana
    swap = {
        "T": str(transcript.uid),
        "FOREIGN": str(_foreign_transcript(outsider).uid),
        "SIBLING": str(_other_conversation_transcript(team, owner).uid),
    }
    data = {k: swap.get(v, v) for k, v in data.items()} | {"tags": "should-not-exist"}
    response = owner_client.post(_create_url(conversation), data)
    assert response.status_code == 400, case
    errors = response.context["form"].errors.as_data()
    assert any(message in m for e in errors[field] for m in e.messages), errors
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not Highlight.objects.exists()
    assert not TaggedHighlight.objects.exists()
    assert not TeamTag.objects.filter(name="should-not-exist").exists()


def test_recording_without_known_duration_uses_the_transcript_end(owner_client, team, ana):
    conversation, transcript, _ = ana
    Recording.objects.filter(pk=transcript.recording_id).update(duration_seconds=None)
    data = {"quote": "x", "start": "30", "end": "41", "transcript": str(transcript.uid)}
    assert owner_client.post(_create_url(conversation), data).status_code == 400
    data["end"] = "39.5"
    assert owner_client.post(_create_url(conversation), data).status_code == 302


def test_highlight_page_shows_newest_transcript_only(owner_client, ana):
    conversation, transcript, _ = ana
    newer = retranscribe(transcript, {1: "So what happens to the export afterwards?"})
    body = owner_client.get(_create_url(conversation)).content.decode()
    assert f'data-transcript="{newer.uid}"' in body
    assert f'data-transcript="{transcript.uid}"' not in body
    assert "afterwards?" in body and "What do you do with the export?" not in body
    assert Transcript.objects.count() == 2


def test_hand_edited_segment_is_selectable_as_one_piece(owner_client, ana):
    from research.models import Segment
    from research.templatetags.fieldnotes import word_spans

    conversation, transcript, _ = ana
    segment = Segment.objects.get(transcript=transcript, index=2)
    assert len(word_spans(segment)) == 9
    as_mappings = [{"word": w, "start": s, "end": e} for s, e, w in segment.words]
    segment.words = as_mappings  # the other shape word timings come in
    assert [w["text"] for w in word_spans(segment)] == segment.text.split()
    segment.text = "I rebuild the pivot table by hand."  # the stored word timings are stale now
    segment.save()
    assert word_spans(segment) == [{"text": segment.text, "start": 20.0, "end": 29.5}]
    body = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert f'data-start="20.00" data-end="29.50">{segment.text}</span>' in body


def test_every_problem_is_reported_at_once(owner_client, ana):
    conversation, transcript, _ = ana
    data = {"quote": "", "start": "30", "end": "99", "transcript": str(transcript.uid)}
    response = owner_client.post(_create_url(conversation), data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"quote", "end"}
    assert not Highlight.objects.exists()


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÉéü0123456789", min_size=1, max_size=8)


@given(
    lines=st.lists(st.lists(WORD, min_size=1, max_size=8), min_size=1, max_size=5),
    data=st.data(),
)
def test_drift_never_flags_words_that_are_still_there(lines, data):
    """Any run of words under the range, re-cased and re-punctuated, is not a change."""
    segments = [
        SimpleNamespace(start=i * 10.0, end=i * 10.0 + 9, text=" ".join(words))
        for i, words in enumerate(lines)
    ]
    newest = {1: segments}  # recording id -> the lines of its newest transcript
    flat = [w for words in lines for w in words]
    first = data.draw(st.integers(0, len(flat) - 1))
    last = data.draw(st.integers(first, len(flat) - 1))
    quote = ", ".join(flat[first : last + 1]).upper() + "!"
    highlight = Highlight(quote=quote, start=0.0, end=len(lines) * 10.0)
    assert drift_of(highlight, newest) is None, quote

    # A word that was never said ("ßß" is outside the generated alphabet) is a change.
    changed = Highlight(quote=" ".join(lines[-1]) + " ßß", start=0.0, end=99.0)
    assert drift_of(changed, newest) == " ".join(s.text for s in segments)
