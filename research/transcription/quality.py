"""How far a transcript is from a reference: the word error rate."""

import re


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word edit distance over reference length, ignoring case and punctuation."""
    ref, hyp = words_of(reference), words_of(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(1, len(ref))


def words_of(text: str) -> list[str]:
    """Lower-case words without punctuation (apostrophes dropped: "don't" is "dont")."""
    return re.sub(r"[^\w\s']", " ", text.lower()).replace("'", "").split()
