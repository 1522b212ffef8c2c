"""Finding and trimming phrase loops, and the stretches the VAD did not hear: no model."""

import numpy as np

from research.transcription.lines import TimedLine, Word
from research.transcription.loops import longest_run, looped, text_run, trim_loops
from research.transcription.speech import unheard_stretches
from research.transcription.windows import SAMPLE_RATE


def test_longest_run_counts_a_repeated_phrase():
    assert longest_run([]) == 0
    assert longest_run("we export it every week".split()) == 1
    assert text_run("Yeah, yeah, yeah, yeah. Okay.") == 4
    assert text_run("so what do we so what do we so what do we need") == 3


def test_a_clip_loops_when_a_phrase_repeats_or_its_text_compresses_too_well():
    line = TimedLine(0.0, 9.0, "Yeah, " * 5)
    assert looped([line], [1.2])
    calm = TimedLine(0.0, 3.0, "Yeah, yeah. So what do we need to talk about?")
    assert not looped([calm], [1.4])
    assert looped([calm], [2.9])


def test_trimming_keeps_three_of_a_run_and_the_words_after_it():
    words = [Word(i, i + 0.5, w, 0.9) for i, w in enumerate([" Yeah,"] * 7 + [" okay", " then."])]
    line = trim_loops(TimedLine(0.0, 9.0, "...", words))
    assert line.text == "Yeah, Yeah, Yeah, okay then."
    assert [w.start for w in line.words] == [0, 1, 2, 7, 8]
    pair = [Word(i, i + 0.5, w, 0.9) for i, w in enumerate([" a", " b"] * 5 + [" c"])]
    assert trim_loops(TimedLine(0.0, 11.0, "...", pair)).text == "a b a b a b c"
    once = TimedLine(0.0, 2.0, "a b", [Word(0, 1, " a", 1), Word(1, 2, " b", 1)])
    assert trim_loops(once) is once


def test_loud_stretches_the_vad_missed_are_found_and_silence_is_not():
    rng = np.random.default_rng(0)
    audio = (rng.standard_normal(30 * SAMPLE_RATE) * 0.0003).astype(np.float32)  # -70 dBFS
    audio[2 * SAMPLE_RATE : 9 * SAMPLE_RATE] = 0.03 * np.sin(np.arange(7 * SAMPLE_RATE) / 5)
    audio[20 * SAMPLE_RATE : 23 * SAMPLE_RATE] = 0.05 * np.sin(np.arange(3 * SAMPLE_RATE) / 5)
    # The VAD heard 20-23 s: 2-9 s is loud enough to be speech it missed; 23-30 s is silence.
    assert unheard_stretches(audio, [(20.0, 23.0)]) == [(0.0, 20.0)]
    assert unheard_stretches(audio, [(0.5, 9.5), (20.0, 23.0)]) == []
    # Nothing heard at all: a long recording's loud stretches come in pieces of `longest`.
    long = np.tile(audio, 3)
    assert unheard_stretches(long, [], longest=30.0) == [(0.0, 30.0), (30.0, 60.0), (60.0, 90.0)]


def test_each_decoded_piece_belongs_to_one_clip_even_where_clips_touch():
    from research.transcription.decoding import clip_of

    clips = [{"start": 0.0, "end": 28.46}, {"start": 28.1, "end": 55.0}]
    assert [clip_of(clips, t) for t in (0.0, 12.0, 27.9, 28.14, 40.0)] == [0, 0, 0, 1, 1]
    assert clip_of(clips, -0.2) == 0


def test_words_of_a_line_without_word_times_are_spread_over_it():
    from research.transcription.lines import spread_words

    line = spread_words(TimedLine(10.0, 12.0, "Okay. Not at all."), 0.8)
    assert [w.word for w in line.words] == [" Okay.", " Not", " at", " all."]
    assert line.words[0].start == 10.0 and line.words[-1].end == 12.0
    assert all(a.end == b.start for a, b in zip(line.words, line.words[1:], strict=False))
    assert line.words[0].end - line.words[0].start > line.words[2].end - line.words[2].start
    assert spread_words(TimedLine(1.0, 2.0, ""), 0.5).words == []
