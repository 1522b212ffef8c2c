"""The pieces of the pipeline that need no model: word error rate, cutting lines at sentence
ends, finding speech no word covers, and sharing batches between decoders."""

from collections import deque

from research.transcription.decoding import take_batch
from research.transcription.lines import TimedLine, Word, split_sentences
from research.transcription.quality import word_error_rate
from research.transcription.speech import missed_speech, speech_clips


def test_word_error_rate():
    assert word_error_rate("Ask not, what!", "ask not what") == 0
    assert word_error_rate("a b c d", "a x c") == 0.5


def test_long_segments_are_cut_at_sentence_ends():
    words = [
        Word(0.0 + i, 0.8 + i, w, 0.9)
        for i, w in enumerate([" We", " export", " monthly.", " It", " breaks?", " Yes"])
    ]
    long = TimedLine(start=0.0, end=6.0, text="...", words=words)
    lines = split_sentences(long, longer_than=4)
    assert [(s.start, s.end, s.text) for s in lines] == [
        (0.0, 2.8, "We export monthly."),
        (3.0, 4.8, "It breaks?"),
        (5.0, 6.0, "Yes"),
    ]
    short = TimedLine(start=0.0, end=3.0, text="x", words=words[:3])
    assert split_sentences(short) == [short]


def test_speech_that_no_word_covers_is_found_again():
    words = [Word(10.2, 11.0, " a", 1), Word(12, 13.9, " b", 1)]
    decoded = [TimedLine(10.0, 14.0, "a b", words)]
    # The window starts 10 s into the recording; speech parts are window-relative.
    assert missed_speech([(0.0, 4.0), (6.0, 12.0)], decoded, base=10.0) == [(6.0, 12.0)]
    parts = [(10.0, 14.0), (15.0, 15.5), (16.0, 22.0), (22.5, 30.0)]
    clips = speech_clips(parts, longest=15)
    assert clips == [{"start": 10.0, "end": 22.0}, {"start": 22.5, "end": 30.0}]


def test_batches_keep_to_one_window_and_shrink_to_share_the_rest():
    waiting = deque([("w0", {"start": 0})] * 2 + [("w1", {"start": 1})] * 6)
    sizes = []
    while waiting:
        window, clips = take_batch(waiting, 4, share=2)
        sizes.append((window, len(clips)))
    # w0's two clips alone, then w1's six shared out so two decoders end together.
    assert sizes == [("w0", 2), ("w1", 3), ("w1", 2), ("w1", 1)]
    waiting = deque([("w0", {"start": 0})] * 6)
    assert len(take_batch(waiting, 4)[1]) == 4  # more speech to come: full batch
