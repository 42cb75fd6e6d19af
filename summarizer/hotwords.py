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
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Final

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
