"""Words to speakers, DER scoring and the voice helpers (no audio)."""

import numpy as np
import pytest

from research.speakers.diarize import SpeakerTurn
from research.speakers.scoring import der, hungarian, read_rttm, rttm_lines
from research.speakers.voices import voice_profile_update, voice_similarity
from research.speakers.words import assign_words, majority_speaker
from research.transcription.lines import TimedLine, Word


def line(start, words):
    """A line of (word, start, end) triples."""
    ws = [Word(start=a, end=b, word=f" {w}", probability=0.9) for w, a, b in words]
    return TimedLine(start=start, end=ws[-1].end + 0.1, text="".join(w.word for w in ws), words=ws)


TURNS = [SpeakerTurn(0.0, 3.0, "Speaker 1"), SpeakerTurn(3.2, 6.0, "Speaker 2")]


def test_a_line_is_split_where_the_speaker_changes():
    spoken = line(
        0.5,
        [
            ("How", 0.5, 0.8),
            ("was", 0.8, 1.0),
            ("it?", 1.0, 2.9),
            ("Fine,", 3.3, 3.6),
            ("thanks.", 3.6, 4.0),
        ],
    )
    out = assign_words([spoken], TURNS)
    assert [(piece.text, speaker) for piece, speaker in out] == [
        ("How was it?", "Speaker 1"),
        ("Fine, thanks.", "Speaker 2"),
    ]
    assert out[0][0].start == 0.5 and out[0][0].end == 2.9
    assert out[1][0].start == 3.3 and out[1][0].end == pytest.approx(4.1)
    assert [w.word for w in out[1][0].words] == [" Fine,", " thanks."]


def test_a_word_straddling_a_boundary_goes_to_the_speaker_it_overlaps_most():
    out = assign_words([line(2.0, [("yes", 2.0, 2.4), ("right", 2.8, 3.8)])], TURNS)
    assert [(p.text, s) for p, s in out] == [("yes", "Speaker 1"), ("right", "Speaker 2")]


def test_a_lone_short_word_stays_with_its_run_and_gaps_take_the_neighbour():
    turns = [
        SpeakerTurn(0.0, 2.0, "Speaker 1"),
        SpeakerTurn(2.0, 2.3, "Speaker 2"),
        SpeakerTurn(2.3, 5.0, "Speaker 1"),
    ]
    words = [("we", 1.0, 1.5), ("really", 2.0, 2.3), ("did", 2.4, 2.8), ("it", 7.5, 7.7)]
    out = assign_words([line(1.0, words)], turns)
    assert [(p.text, s) for p, s in out] == [("we really did it", "Speaker 1")]


def test_lines_without_words_or_turns():
    bare = TimedLine(start=3.5, end=5.0, text="Music", words=[])
    assert assign_words([bare], TURNS) == [(bare, "Speaker 2")]
    assert assign_words([bare], []) == [(bare, "")]


def test_majority_speaker_of_a_stored_line():
    words = [[2.0, 2.5, " a"], [3.3, 5.5, " b"], [5.5, 5.9, " c"]]
    assert majority_speaker(2.0, 5.9, words, TURNS) == "Speaker 2"
    assert majority_speaker(0.1, 1.0, [], TURNS) == "Speaker 1"
    assert majority_speaker(20.0, 21.0, [], TURNS) == ""


def test_der_scores_mapping_misses_false_alarms_and_overlap():
    ref = [(0.0, 10.0, "a"), (10.0, 20.0, "b")]
    assert der(ref, [(0.0, 10.0, "x"), (10.0, 20.0, "y")]) == 0.0  # labels mapped
    assert der(ref, [(0.0, 20.0, "x")]) == pytest.approx(0.5, abs=0.02)  # b confused
    assert der(ref, []) == 1.0
    assert der(ref, ref + [(20.0, 30.0, "a")]) == pytest.approx(0.5, abs=0.02)
    overlap = [(0.0, 10.0, "a"), (5.0, 10.0, "b")]
    assert der(overlap, [(0.0, 10.0, "a")], collar=0.0) == pytest.approx(5 / 15, abs=0.01)


def test_hungarian_finds_the_best_pairs():
    cost = np.array([[4, 1, 3], [2, 0, 5], [3, 2, 2]], dtype=float)
    pairs = hungarian(cost)
    assert sum(cost[r, c] for r, c in pairs) == 5
    assert sorted(hungarian(cost[:, :2])) == [(0, 1), (1, 0)]


def test_rttm_round_trip():
    lines = rttm_lines("my clip", [SpeakerTurn(1.5, 3.25, "Speaker 2")])
    assert lines == ["SPEAKER my clip 1 1.500 1.750 <NA> <NA> Speaker_2 <NA> <NA>"]
    assert read_rttm("SPEAKER x 1 1.500 1.750 <NA> <NA> Speaker_2 <NA> <NA>") == [
        (1.5, 3.25, "Speaker_2")
    ]


def test_voice_helpers():
    a, b = [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]
    assert voice_similarity(a, a) == pytest.approx(1.0)
    assert voice_similarity(a, b) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        voice_similarity(a, [1.0, 0.0])
    embedding, seconds = voice_profile_update(a, 30.0, b, 10.0)
    assert seconds == 40.0
    assert embedding == pytest.approx([0.948683, 0.316228, 0.0], abs=1e-5)
    assert voice_profile_update(None, 0.0, b, 5.0) == ([0.0, 1.0, 0.0], 5.0)
