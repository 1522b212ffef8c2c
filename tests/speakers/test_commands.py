"""``manage.py transcribe_file --format rttm``: who speaks when, as RTTM lines."""

import io

import pytest
from django.core.management import CommandError, call_command

from research.speakers.scoring import read_rttm
from tests.builders import JFK, two_voices


def rttm(path, *args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("transcribe_file", str(path), "--format", "rttm", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_rttm_of_two_people(tmp_path):
    text = rttm(two_voices(tmp_path / "two people.wav"))
    lines = text.strip().splitlines()
    assert all(line.split()[:3] == ["SPEAKER", "two_people", "1"] for line in lines)
    assert all(
        line.split()[5:] == ["<NA>", "<NA>", line.split()[7], "<NA>", "<NA>"] for line in lines
    )
    turns = read_rttm(text)
    assert {label for *_, label in turns} == {"Speaker_1", "Speaker_2"}
    assert turns[0][2] == "Speaker_1" and turns[0][0] < 1.0
    assert turns[-1][2] == "Speaker_2" and turns[-1][1] > 15.0
    assert all(a < b for a, b, _ in turns)


def test_rttm_with_a_forced_count_and_bad_counts(tmp_path):
    assert {label for *_, label in read_rttm(rttm(JFK, "--speakers", "1"))} == {"Speaker_1"}
    with pytest.raises(CommandError, match="between 1 and 20"):
        rttm(JFK, "--speakers", "0")
    with pytest.raises(CommandError):
        rttm(tmp_path / "missing.wav")
