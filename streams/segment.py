"""Chinese word segmentation, set up once per process (pure: no service I/O).

One :data:`SEGMENTER` serves the tagger's keyphrases (:mod:`streams.keyphrases`) and the
report's word cloud (:mod:`summarizer.wordcloud`). It cuts with ``rjieba`` (jieba-rs, the jieba
algorithm and dictionary in Rust: ~13x the pure-Python ``jieba`` on the Weibo corpus here) and
loads lazily: the dictionary (~0.4 s, ~35 MB) is read on the first cut, never at import, so
``tweetpulse --help`` stays fast. Words registered with :meth:`Segmenter.add_words` (the
taxonomy's user words: 英伟达, 大模型, 具身智能 …) are cut whole; a word registered before the
first cut is added when the dictionary loads.

:func:`non_noun_words` lists the dictionary's words whose part of speech is not a noun (verbs,
adjectives, adverbs, idioms, numerals, time words …), read from the dictionary file that ships
with ``jieba``: the same dictionary rjieba embeds, so looking a token up there is as good as
tagging it, at a fraction of the cost of ``rjieba.tag``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from streams._segcut import Dict, Drop

# Han ideographs (CJK unified, extension A, compatibility); kana marks Japanese text.
HAN_CHARS: Final = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN: Final = re.compile(f"[{HAN_CHARS}]+")
# One Han character: a pattern that opens with a character set lets the regex engine scan for it
# in C (HAN_RUN, a repeat, is tried at every position: 4x slower on text without Han).
_HAN: Final = re.compile(f"[{HAN_CHARS}]")
_KANA: Final = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")

# Drop sets marked in the C dictionary at once (one per keyphrase extractor; a process has one).
MAX_DROP_MARKS: Final = 4

# jieba's part-of-speech tags of nouns (ICTCLAS): common, person, place, organization, other
# proper, transliterated person, foreign person, noun morpheme; j = abbreviation (央视, 港股).
NOUN_TAGS: Final = frozenset({"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "ng", "j", "eng"})


def python_is_chinese(text: str) -> bool:
    """True when ``text`` has a Han character and no kana (kanji in Japanese text is not
    Chinese to jieba)."""
    return not text.isascii() and _HAN.search(text) is not None and not _KANA.search(text)


def _load_is_chinese() -> Callable[[str], bool]:
    """:func:`python_is_chinese` in one pass in C (``streams/_textscan.c``), when the compiled
    build is loaded (the regexes scan a Chinese text twice, the second time to its end)."""
    try:
        from streams._textscan import is_chinese as native
    except ImportError:
        return python_is_chinese
    return native


# True when a text has a Han character and no kana (:func:`python_is_chinese`)
is_chinese: Final = _load_is_chinese()


class Segmenter:
    """A lazily loaded jieba tokenizer with user words; thread-safe.

    :meth:`cut` is rjieba's (jieba-rs). :meth:`words`, the keyphrases' cut, runs jieba's same
    precise-mode algorithm in C (``streams/_segcut.c``, built by ``tweetpulse native build``)
    when that build is loaded, and otherwise filters :meth:`cut`: the same tokens either way
    (tests/unit/test_segcut.py checks them on every Weibo post of the corpora).

    rjieba has one dictionary per process, so every instance shares it (and its user words):
    use :data:`SEGMENTER`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._words: dict[str, None] = {}  # registered user words, in order
        self._synced = 0  # how many of them rjieba's dictionary has
        # rjieba's module functions, which use the dictionary it builds on import
        self._cut: Callable[[str, bool], list[str]] | None = None
        self._add_word: Callable[[str, int | None, str | None], int] | None = None
        self._native: Dict | None = None  # the C segmenter's dictionary, once loaded
        self._native_synced = 0
        self._native_tried = False
        # id of a drop set -> (the set, kept alive so that its id stays its own; its marks)
        self._drops: dict[int, tuple[frozenset[str], Drop]] = {}

    @property
    def loaded(self) -> bool:
        """True once a dictionary is in memory."""
        return self._cut is not None or self._native is not None

    def add_words(self, words: Iterable[str]) -> None:
        """Register words jieba must keep whole (cheap before the first cut: nothing loads)."""
        with self._lock:
            for raw in words:
                word = raw.strip()
                if word and " " not in word:
                    self._words.setdefault(word, None)
            self._sync()

    def _sync(self) -> None:
        """Give each loaded dictionary the user words it lacks, in the order they came (a
        word's suggested frequency depends on the words before it)."""
        pending = list(self._words)
        if self._add_word is not None:
            for word in pending[self._synced :]:
                self._add_word(word, None, "nz")  # no frequency: jieba picks one that wins
            self._synced = len(pending)
        if self._native is not None:
            for word in pending[self._native_synced :]:
                self._native.add_word(word)  # the same suggestion, computed the same way
            self._native_synced = len(pending)

    def _load(self) -> Callable[[str, bool], list[str]]:
        with self._lock:
            if self._cut is None:
                # importing rjieba builds its default dictionary (~0.4 s, ~35 MB): use that one
                # rather than a second ``rjieba.Jieba()``
                import rjieba

                self._add_word = rjieba.add_word
                self._sync()
                self._cut = rjieba.cut
            return self._cut

    def _load_native(self) -> Dict | None:
        with self._lock:
            if not self._native_tried:
                self._native_tried = True
                try:
                    from streams._segcut import Dict
                except ImportError:  # no compiled build loaded: filter rjieba's tokens
                    return None
                words, freqs = jieba_dictionary()
                self._native = Dict(words, freqs)
                self._sync()
            return self._native

    def cut(self, text: str, *, hmm: bool = False) -> list[str]:
        """jieba's tokens of ``text`` (precise mode). Without ``hmm`` an unknown word comes out
        one character at a time; with it jieba guesses new words."""
        cut = self._cut or self._load()
        with self._lock:  # add_words may be changing the dictionary
            return cut(text, hmm)

    def words(self, text: str) -> list[str]:
        """The tokens of :meth:`cut` (no HMM) with two or more characters that are not all
        ASCII, in order: the C segmenter builds only these strings (a Weibo post has ~6 of
        them among ~43 tokens, and making the others cost more than the segmentation)."""
        native = self._native
        if native is None and not self._native_tried:
            native = self._load_native()
        if native is not None:
            return native.words(text)  # holds the GIL: atomic next to add_words
        return [token for token in self.cut(text) if len(token) > 1 and not token.isascii()]

    def kept_words(self, text: str, drop: frozenset[str]) -> list[str]:
        """The :meth:`words` of ``text`` that are all letters or digits (``str.isalnum``) and
        not in ``drop``, in order (the keyphrases' Chinese tokens). The C segmenter marks
        ``drop`` in its dictionary once (per set) and then builds no string for a token it
        drops (~12 per Weibo post, which cost ~5% of the post's instructions in Python)."""
        native = self._native
        if native is None and not self._native_tried:
            native = self._load_native()
        if native is not None:
            marked = self._drops.get(id(drop))
            if marked is None or marked[0] is not drop:
                marked = self._mark(native, drop)
            return native.words(text, marked[1])
        return [token for token in self.words(text) if token.isalnum() and token not in drop]

    def _mark(self, native: Dict, drop: frozenset[str]) -> tuple[frozenset[str], Drop]:
        """``drop`` marked in the C dictionary (once per set: ~25 ms for ~108k words)."""
        with self._lock:  # (add_words may be adding nodes to the dictionary)
            marked = (drop, native.drop(drop))
            if len(self._drops) >= MAX_DROP_MARKS:
                del self._drops[next(iter(self._drops))]  # the oldest
            self._drops[id(drop)] = marked
            return marked


SEGMENTER: Final = Segmenter()


@cache
def non_noun_words() -> frozenset[str]:
    """Dictionary words of two or more characters that are never nouns (~108k; the first call
    takes ~0.6 s and ~30 MB, from the dictionary file shipped with ``jieba``: line by line, which
    peaks at a third of the memory of reading the 5 MB file at once)."""
    words: set[str] = set()
    with resources.files("jieba").joinpath("dict.txt").open("r", encoding="utf-8") as lines:
        for line in lines:  # "word frequency tag"
            word, *_, tag = line.split()
            if len(word) > 1 and tag not in NOUN_TAGS:
                words.add(word)
    return frozenset(words)


def jieba_dictionary() -> tuple[list[str], list[int]]:
    """The words and frequencies of the dictionary file shipped with ``jieba`` (the one rjieba
    embeds), in file order. One split of the whole file (~0.3 s; a line loop takes twice
    as long): every line is "word frequency tag"."""
    text = resources.files("jieba").joinpath("dict.txt").read_text("utf-8")
    fields = text.split()
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if len(fields) != 3 * lines:  # not one word, frequency and tag per line: read it slowly
        rows = [line.split() for line in text.splitlines() if line.strip()]
        return [row[0] for row in rows], [int(row[1]) if len(row) > 1 else 0 for row in rows]
    return fields[0::3], [int(freq) for freq in fields[1::3]]
