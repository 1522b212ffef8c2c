"""The voice encoder ported from resemblyzer, on real voices."""

import io
import pickle

import numpy as np
import pytest

from research.speakers import encoder, frontend
from research.speakers.weights import WeightsError, read_state
from tests.builders import FIXTURES, load_audio

JFK = FIXTURES / "jfk.flac"
STEREO = FIXTURES / "stereo_diarization.wav"


def test_weights_are_read_without_torch():
    state = read_state(encoder.weights_path())
    assert state["lstm.weight_ih_l0"].shape == (1024, 40)
    for layer in (1, 2):
        assert state[f"lstm.weight_ih_l{layer}"].shape == (1024, 256)
    assert state["linear.weight"].shape == (256, 256)
    assert all(np.isfinite(v).all() and v.dtype == np.float32 for v in state.values())


def test_a_checkpoint_that_would_run_code_is_refused(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    bad = tmp_path / "bad.pt"
    buffer = io.BytesIO()
    pickle.dump(0x1950A86A20F9469CFC6C, buffer, protocol=2)
    pickle.dump(1001, buffer, protocol=2)
    pickle.dump({}, buffer, protocol=2)
    pickle.dump({"model_state": Evil()}, buffer, protocol=2)
    bad.write_bytes(buffer.getvalue())
    with pytest.raises(WeightsError, match="print"):
        read_state(bad)


def test_mel_band_of_a_tone():
    """A 1 kHz tone lands in the band whose centre is nearest 1 kHz (Slaney mel scale)."""
    t = np.arange(16_000) / 16_000
    mel = frontend.mel_spectrogram(0.1 * np.sin(2 * np.pi * 1000 * t).astype(np.float32))
    assert mel.shape == (101, 40)
    edges = frontend._mel_to_hz(np.linspace(0, frontend._hz_to_mel(8000.0), 42))
    assert abs(edges[1 + int(np.argmax(mel[50]))] - 1000) < 80


def test_same_voice_is_closer_than_another_voice():
    jfk = load_audio(JFK)
    left, right = load_audio(STEREO, channel=0), load_audio(STEREO, channel=1)
    first, second = (
        encoder.embed_utterance(jfk[: 5 * 16_000]),
        encoder.embed_utterance(jfk[5 * 16_000 :]),
    )
    others = [encoder.embed_utterance(left), encoder.embed_utterance(right)]
    assert np.linalg.norm(first) == pytest.approx(1.0, abs=1e-5)
    same = float(first @ second)
    different = [float(first @ o) for o in others] + [float(others[0] @ others[1])]
    assert same > 0.8
    assert max(different) < same - 0.15


def test_batches_on_two_threads_give_the_same_embeddings():
    jfk = load_audio(JFK)
    mels = encoder.partial_mels(frontend.normalise_volume(jfk), rate=4.0)
    assert len(mels) > encoder.BATCH // 2
    model = encoder.voice_encoder()
    doubled = np.concatenate([mels, mels])
    one = model.embed_mels(doubled, threads=1)
    two = model.embed_mels(doubled, threads=2)
    np.testing.assert_allclose(one, two, atol=1e-5)
