"""The stream's own subject, left out of a window's hot words and word cloud (pure).

A stream collected with a search query ("ChatGPT") has the query in nearly every tweet: the
term tops every day's list and says nothing about the day. A term counted in more than
:data:`SUBJECT_SHARE` of the window's organic tweets is the subject, and so are its variants:
the terms with the same letters once sigils, dashes, spaces and digits are gone
(``#chatgpt``, ``chatgpt-4`` with ``chatgpt``; ``gpt-4`` is another word, ``gpt``). Below
:data:`SUBJECT_MIN_TWEETS` tweets a share says little, and nothing is the subject.

Spellings of one term (``gpt4``, ``GPT-4``, ``#gpt4``: the same letters and digits once the
``#``, dashes, dots and spaces are gone) are one hot word: :func:`merge_spellings` keeps the most
counted and its count (a tweet may hold two spellings, so the counts do not add up).

The hot words a report names are ranked by how much more the window uses them than the earlier
windows did (:func:`rank_hot_words`): ranked by volume, a stream's background ("#ai", "openai",
"gpt4") tops every day's list, and what was new that day is buried below it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from streams.aggregates import EarlierTerms

SUBJECT_SHARE: Final = 0.25  # of the window's organic tweets
SUBJECT_MIN_TWEETS: Final = 100


def letters(term: str) -> str:
    """``term``'s letters, casefolded: what its variants share (``#ChatGPT-4`` → ``chatgpt``)."""
    return "".join(char for char in term.casefold() if char.isalpha())


def subject_keys(terms: Iterable[tuple[str, float]], tweets: int) -> frozenset[str]:
    """The :func:`letters` of the terms counted in more than :data:`SUBJECT_SHARE` of
    ``tweets`` (none below :data:`SUBJECT_MIN_TWEETS`)."""
    if tweets < SUBJECT_MIN_TWEETS:
        return frozenset()
    keys = (letters(term) for term, n in terms if n > SUBJECT_SHARE * tweets)
    return frozenset(key for key in keys if key)


def without(
    terms: Iterable[tuple[str, float]], subject: Collection[str]
) -> list[tuple[str, float]]:
    """``terms`` (in their order) without those whose :func:`letters` are in ``subject``."""
    return [(term, n) for term, n in terms if letters(term) not in subject]


def spelling_key(term: str) -> str:
    """What the spellings of one term share: ``#GPT-4`` → ``gpt4``; a cashtag keeps its ``$``
    (``$meta`` is a stock, ``meta`` a company or a word)."""
    key = "".join(char for char in term.casefold() if char.isalnum())
    return "$" + key if term.startswith("$") else key


def merge_spellings(terms: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    """``terms`` (most counted first) with each term's other spellings left out."""
    seen: set[str] = set()
    out: list[tuple[str, float]] = []
    for term, n in terms:
        key = spelling_key(term) or term
        if key not in seen:
            seen.add(key)
            out.append((term, n))
    return out


# --- hot words: the rise against the earlier windows --------------------------------------------
LIFT_MIN_VOICES: Final = 3
"""A term fewer voices use in the window is no hot word by its rise (one or two voices say
nothing about a day); it follows the others, by volume, in a window too small to fill the list."""
LIFT_Z: Final = 1.0
"""Standard errors taken off a term's log lift: the rise it shows at least one time in six."""
_HALF: Final = 0.5  # added to both counts: a term the earlier windows never used has a finite lift


@dataclass(frozen=True, slots=True)
class HotWord:
    term: str
    count: float  # voices using it in the window: what the report shows
    lift: float | None  # its share of the window's tweets / its share before; None: no baseline
    new: bool  # in none of the earlier windows' term lists
    score: float  # what it is ranked by (:func:`rank_hot_words`)


def _baseline(earlier: Sequence[EarlierTerms]) -> tuple[dict[str, float], float]:
    """Term (its :func:`spelling_key`) → voices summed over ``earlier`` (in each window the most
    counted spelling, as :func:`merge_spellings`), and what an absent term is taken to have: half
    the last count of each list that was cut (it had between 0 and that), 0 for a whole list."""
    counts: dict[str, float] = {}
    for window in earlier:
        own: dict[str, float] = {}
        for term, n in window.terms:
            key = spelling_key(term) or term
            own[key] = max(own.get(key, 0.0), n)
        for key, n in own.items():
            counts[key] = counts.get(key, 0.0) + n
    absent = sum(w.terms[-1][1] / 2 for w in earlier if w.cut and w.terms)
    return counts, absent


def rank_hot_words(
    terms: Sequence[tuple[str, float]], organic: int, earlier: Sequence[EarlierTerms]
) -> list[HotWord]:
    """``terms`` (the window's, most used first), those used much more than in ``earlier`` first.

    A term ``c`` of the window's ``N`` organic tweets use, that ``b`` of the earlier windows'
    ``B`` organic tweets used (summed over the windows; :func:`_baseline` for a term a cut list
    leaves out), has the lift of its share and the score::

        lift  = ((c + ½) / N) / ((b + ½) / B)
        score = ln(lift) − z · √(1 / (c + ½) + 1 / (b + ½))        z = LIFT_Z = 1

    — the log lift less one standard error of it (a Poisson count's log has the standard error
    1/√count): a lower bound of the rise the counts support. Why this: the lift alone makes one
    voice's term the day's news (1 voice against 0 is an infinite rise), volume alone ranks
    the stream's background first every day, and a log-likelihood (G²) grows with volume, so at
    a large stream's scale a term used every day by thousands that rises 20 % outranks one that
    jumps from 30 voices to 300; the bound needs evidence where counts are small and is the lift
    itself where they are large. A term fewer than :data:`LIFT_MIN_VOICES` voices use follows
    the others by volume. The terms none of the earlier windows listed are ``new``: they share
    ``b``, so they rank by count among themselves. Ties: more voices, then the term.

    Without an earlier window (or organic tweets in either) the order is the volume order.
    """
    if not earlier or organic <= 0:
        return [HotWord(term, n, None, False, n) for term, n in terms]
    before = sum(w.organic for w in earlier)
    counts, absent = _baseline(earlier)
    scored: list[HotWord] = []
    rest: list[HotWord] = []
    for term, n in terms:
        key = spelling_key(term) or term
        b = counts.get(key)
        lift = ((n + _HALF) / organic) / (((absent if b is None else b) + _HALF) / before)
        error = math.sqrt(1 / (n + _HALF) + 1 / ((absent if b is None else b) + _HALF))
        word = HotWord(term, n, lift, b is None, math.log(lift) - LIFT_Z * error)
        (scored if n >= LIFT_MIN_VOICES else rest).append(word)
    scored.sort(key=lambda w: (-w.score, -w.count, w.term))
    return scored + rest
