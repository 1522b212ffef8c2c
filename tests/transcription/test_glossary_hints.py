"""A team glossary given to the real model as hints: a made-up name is heard with it, and a
quiet meeting stretch does not pick glossary words up (hints go only to speech)."""

import pytest

from research.transcription.pipeline import transcribe
from research.transcription.quality import words_of
from tests.builders import FIXTURES, normalised

from .test_meetings import MEETINGS

pytestmark = pytest.mark.slow
TERMS = "Zentrix, Quorvel, Blenport, Trevanta, Vostrel, Mirelda"


def test_a_glossary_term_is_recognised_with_the_glossary_on(tmp_path):
    wav = normalised(tmp_path, FIXTURES / "glossary.flac")
    off = words_of(" ".join(line.text for line in transcribe(wav).lines))
    on = words_of(" ".join(line.text for line in transcribe(wav, hints=TERMS).lines))
    assert "quorvel" not in off  # tiny.en alone hears "Horrible"
    assert on.count("quorvel") == 2 and "trevanta" in on
    assert "weekly" in on and "dashboard" in on  # the rest of the speech is still there


@pytest.mark.skipif(not MEETINGS.is_dir(), reason="../shared/audio/meetings is not here")
def test_glossary_words_do_not_leak_into_a_quiet_meeting(tmp_path):
    result = transcribe(normalised(tmp_path, MEETINGS / "trn07.wav"), hints=TERMS)
    said = set(words_of(" ".join(line.text for line in result.lines)))
    assert len(said) >= 15
    assert not said & set(words_of(TERMS))
