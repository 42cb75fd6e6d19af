"""The topic taxonomy (``streams/taxonomy.yaml``) and the keyword tagger (pure).

A tweet gets every topic one of whose keywords occurs in its text, in taxonomy order. Text and
keywords are normalized the same way (:func:`normalize_text`: NFKC, casefold, one space between
words) and searched in one Aho-Corasick pass (:class:`PhraseMatcher`, on ahocorasick-rs). A
keyword edge that is an ASCII letter or digit must sit on a word boundary ("rag" never matches
inside "drag"); Chinese keywords match as substrings; an occurrence inside a longer matched
keyword is ignored. X API context annotations can add topics too (see the YAML). The tagger also
extracts a tweet's emerging terms: hashtags, cashtags and keyphrases (:mod:`streams.keyphrases`).

Operator action on a :class:`~streams.errors.ConfigError` from :func:`load_taxonomy`: fix the
file and line named in the message, or unset ``TWEETPULSE_TAXONOMY_PATH`` to use the shipped file.
"""

from __future__ import annotations

import array
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Final, Generic, TypeVar

import ahocorasick_rs

from streams.keyphrases import KeyphraseExtractor
from streams.model import Tweet
from streams.taxonomy_file import DEFAULT_TAXONOMY_PATH, Taxonomy, TopicDef, load_taxonomy

__all__ = [
    "DEFAULT_TAXONOMY_PATH",
    "MAX_TERMS",
    "PhraseMatcher",
    "Tagger",
    "Taxonomy",
    "TopicDef",
    "load_taxonomy",
    "normalize_text",
]

MAX_TERMS: Final = 20

V = TypeVar("V")

# Characters that glue onto an ASCII keyword edge: ASCII letters/digits/underscore, and letters of
# alphabetic scripts (é, ж). CJK and other ideographic text (from U+2E80 on) is a boundary, so "AI"
# matches in "用AI写代码".
_ASCII_WORD: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_CJK_START: Final = "\u2e80"
# The characters that most often take a text off NFKC's quick path, with their decompositions.
_NFKC_COMMON: Final = tuple(
    (char, unicodedata.normalize("NFKC", char)) for char in "…，！：？\xa0（）；～\u3000"
)


# The C fold's table (streams/_textfold.c): per code point of the Basic Multilingual Plane and
# of U+1F000-U+1FFFF (emoji), keep it, a whitespace, give up, or an offset into the pool.
FOLD_KEEP: Final = -1
FOLD_SPACE: Final = -2
FOLD_GIVE_UP: Final = -3
FOLD_EMOJI: Final = range(0x1F000, 0x20000)
_HANGUL_JAMO: Final = range(0x1100, 0x1200)  # conjoining jamo compose with their neighbours


def fold_table() -> tuple[bytes, str]:
    """What :func:`normalize_text` makes of each character alone (NFKC, then casefold), for
    ``streams/_textfold.c``: an int32 per code point (native byte order) and the pool of
    replacements (a length, then the characters).

    A character's own form is the text's form only where nothing composes or reorders across
    characters, so the table gives up on: combining marks, characters that compose with the one
    before them (the second half of a canonical pair, from the decompositions of the Basic
    Multilingual Plane: those of other planes pair characters of other planes), conjoining
    Hangul jamo, and any character whose replacement holds one of those or mixes whitespace
    with other characters. ~0.2 s, once per process (on its first text)."""
    composes: set[int] = set()
    for code in range(0x10000):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                composes.add(int(parts[1], 16))

    def unsafe(char: str) -> bool:
        code = ord(char)
        return bool(unicodedata.combining(char)) or code in composes or code in _HANGUL_JAMO

    table = array.array("i", [FOLD_GIVE_UP]) * (0x10000 + len(FOLD_EMOJI))
    pool: list[str] = []
    size = 0
    for index, code in enumerate((*range(0x10000), *FOLD_EMOJI)):
        if 0xD800 <= code < 0xE000:
            continue  # surrogates: give up
        char = chr(code)
        if unsafe(char):
            continue
        folded = unicodedata.normalize("NFKC", char).casefold()
        if folded.isspace():
            table[index] = FOLD_SPACE
        elif any(unsafe(c) or c.isspace() for c in folded):
            continue
        elif folded == char:
            table[index] = FOLD_KEEP
        else:
            table[index] = size
            pool.append(chr(len(folded)) + folded)
            size += 1 + len(folded)
    return table.tobytes(), "".join(pool)  # (the C side checks the size: int32 entries)


def _load_fold() -> Callable[[str], str | None] | None:
    """The C fold (streams/_textfold.c) with its table, when the compiled build is loaded."""
    try:
        from streams._textfold import Folder
    except ImportError:
        fold = None
    else:
        fold = Folder(*fold_table()).fold
    _FOLD.append(fold)
    return fold


_FOLD: Final[list[Callable[[str], str | None] | None]] = []  # loaded on the first text


@functools.lru_cache(maxsize=1024)
def normalize_text(text: str) -> str:
    """NFKC (full-width → half-width), casefold, and every whitespace run → one space.

    Cached: the ingest path normalizes each tweet's text twice (ad classifier, tagger). In a
    compiled build, the characters that map on their own are looked up in a table, in C
    (``streams/_textfold.c``, :func:`fold_table`); a text with any other character takes
    :func:`python_normalize_text`, and the result is the same either way.
    """
    fold = _FOLD[0] if _FOLD else _load_fold()
    if fold is not None:
        folded = fold(text)
        if folded is not None:
            return folded
    return python_normalize_text(text)


def python_normalize_text(text: str) -> str:
    """:func:`normalize_text` in Python (the reference of the C fold)."""
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        # Most texts pass NFKC's quick check above and stay as they are. In the others, "…"
        # (ends most truncated retweets), full-width punctuation (most Chinese texts) and no-break
        # spaces alone make NFKC do a slow full pass: replacing each by its NFKC decomposition
        # first gives the same result and leaves most of them on NFKC's quick path.
        for char, ascii_form in _NFKC_COMMON:
            text = text.replace(char, ascii_form)
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.casefold().split())


def _catalan_l_dot_l(text: str, dot: int) -> bool:
    """Whether the "·" at ``dot`` joins two l's inside a Catalan word ("intel·ligència": no
    "intel" there); elsewhere a middle dot separates ("OpenAI·ChatGPT", "萨姆·奥尔特曼")."""
    return 0 < dot < len(text) - 1 and text[dot - 1] == "l" and text[dot + 1] == "l"


def _is_ascii_word_char(ch: str) -> bool:
    return ch in _ASCII_WORD


class PhraseMatcher(Generic[V]):
    """Finds phrases in normalized text in one pass; shared by the tagger and the ad classifier.

    ``phrases`` maps an already normalized phrase (see :func:`normalize_text`) to a value;
    :meth:`scan` returns the value of every occurrence that respects word boundaries, except an
    occurrence lying inside a longer one: "机器人" inside "聊天机器人", "claude" inside
    "claude code" (so a long phrase belongs to exactly the topics it is listed under).
    """

    def __init__(self, phrases: Mapping[str, V]) -> None:
        if any(not phrase for phrase in phrases):
            msg = "a phrase is empty"
            raise ValueError(msg)
        patterns = list(phrases)
        self._automaton = ahocorasick_rs.AhoCorasick(
            patterns,
            matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=ahocorasick_rs.Implementation.DFA,
        )
        # Patterns that occur inside a longer pattern: only their hits can lie inside another
        # hit, so a scan finding none of them skips the containment check.
        nested = {
            index
            for pattern in patterns
            for index, start, end in self._automaton.find_matches_as_indexes(
                pattern, overlapping=True
            )
            if end - start < len(pattern)
        }
        # Per pattern: (must the char before be a boundary?, must the char after be one?, value)
        self._info = [
            (_is_ascii_word_char(p[0]), _is_ascii_word_char(p[-1]), phrases[p]) for p in patterns
        ]
        self._nested = frozenset(nested)

    def scan(self, text: str) -> list[V]:
        """Values of the phrases found in ``text`` (normalized), one per occurrence."""
        return [value for _, _, value in self.spans(text)]

    def spans(self, text: str) -> list[tuple[int, int, V]]:
        """(start, end, value) of each phrase found in ``text`` (normalized), one per
        occurrence."""
        info = self._info
        nested = self._nested
        size = len(text)
        hits: list[tuple[int, int, V]] = []
        inner: list[int] = []  # positions in ``hits`` of hits that might lie inside another
        for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            left, right, value = info[index]
            # an edge that must be a boundary: no glue (_ASCII_WORD, or a non-CJK letter) there
            if left and start > 0:
                ch = text[start - 1]
                if ch in _ASCII_WORD or ("\x7f" < ch < _CJK_START and ch.isalnum()):
                    continue
                if ch == "·" and _catalan_l_dot_l(text, start - 1):
                    continue
            if right and end < size:
                ch = text[end]
                if ch in _ASCII_WORD or ("\x7f" < ch < _CJK_START and ch.isalnum()):
                    continue
                if ch == "·" and _catalan_l_dot_l(text, end):
                    continue
            if index in nested:
                inner.append(len(hits))
            hits.append((start, end, value))
        if inner and len(hits) > 1:
            dropped = {i for i in inner if _inside(hits[i], hits)}
            if dropped:
                return [hit for i, hit in enumerate(hits) if i not in dropped]
        return hits


def _inside(hit: tuple[int, int, V], hits: list[tuple[int, int, V]]) -> bool:
    """True when ``hit`` lies inside a longer one of ``hits``."""
    start, end, _ = hit
    return any(s <= start and end <= e and e - s > end - start for s, e, _ in hits)


# --- the tagger ---------------------------------------------------------------------------------

# '#tag' not glued to a word, an '&' entity or another '#'; it needs one non-digit (X's rule).
# The sigil comes first and the look-behind checks the character before it: a literal first lets
# the regex engine jump from '#' to '#' in C instead of trying the look-behind everywhere.
_HASHTAG_RE: Final = re.compile(r"#(?<![\w&#]#)(\w+)")
# What may follow a tweet's closing run of tags: the rest of the tag, then tags, mentions, links
# and non-word characters (emoji, punctuation, spaces) up to the end. Possessive: no backtracking.
_CLOSING_RUN: Final = re.compile(r"\w*+(?:[#@]\w*+|https?://\S*+|[^\w#@]++)*+")
# '$NVDA', '$BRK.B'; not '$100' or '$5B'.
_CASHTAG_RE: Final = re.compile(r"\$(?<![\w$]\$)([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)(?!\w)")


def _nfkc(text: str) -> str:
    """NFKC, skipped for ASCII text (which it leaves as it is)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


class Tagger:
    """Tags tweets with taxonomy topics and extracts their emerging terms. Thread-safe.

    A keyword tags its topic alone; a weak one (the topic's ``keywords_weak``: a name dropped in
    passing as often as discussed, like "OpenAI" on every ChatGPT tweet, or an everyday word
    like "replace") only together with a second, different weak word of the topic ("replace" +
    "workers"; the forms of one word, "replace" + "replaced", count once). A passing name (the
    topic's ``keywords_passing``: "ChatGPT" on a tweet about a ban) tags its topic alone unless
    the tweet gets one of the topic's ``yields_to`` topics too. Hashtags: in a tweet with at
    least ``hashtag_wall`` '#', a keyword found only as a hashtag tags nothing; in one with at
    least a topic's ``hashtag_tail`` '#', the topic's keywords and passing names found only as
    hashtags in the closing run of tags (nothing but tags, mentions, links and non-word
    characters after them) tag nothing. One Aho-Corasick pass finds every kind; the closing run
    is read (one possessive regex from the topic's first hashtag on) only in a tweet with enough
    '#' and such a hashtag.
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._ids = taxonomy.topic_ids
        size = len(self._ids)
        self._topic_bits = (1 << size) - 1
        # phrase -> topics it tags alone (bits 0..size-1) and topics it is a passing name of
        # (the same bits shifted by ``size``)
        masks: dict[str, int] = {}
        # phrase -> the weak words it is a form of: (word number, its topic's bit)
        weak: dict[str, list[tuple[int, int]]] = {}
        number = 0  # numbers the weak words of every topic
        annotations: dict[str, int] = {}
        index_of = {topic_id: index for index, topic_id in enumerate(self._ids)}
        # (topic's bit, the bits of the topics it yields to) per topic with passing names
        yields: list[tuple[int, int]] = []
        # (the topic's bits, keyword and passing, its tail's '#' threshold) per topic with one
        tails: list[tuple[int, int]] = []
        for index, topic in enumerate(taxonomy.topics.values()):
            bit = 1 << index
            for keyword in (*topic.keywords_en, *topic.keywords_zh):
                phrase = normalize_text(keyword)
                if phrase:
                    masks[phrase] = masks.get(phrase, 0) | bit
            for name in topic.keywords_passing:
                phrase = normalize_text(name)
                if phrase:
                    masks[phrase] = masks.get(phrase, 0) | bit << size
            if topic.keywords_passing:
                yields.append((bit, sum(1 << index_of[t] for t in set(topic.yields_to))))
            if topic.hashtag_tail > 0:
                tails.append((bit | bit << size, topic.hashtag_tail))
            for forms in topic.keywords_weak:
                word = (number, bit)
                number += 1
                for form in forms:
                    phrase = normalize_text(form)
                    if phrase:
                        weak.setdefault(phrase, []).append(word)
            for name in topic.context_annotations:
                key = normalize_text(name)
                annotations[key] = annotations.get(key, 0) | bit
        # Per phrase: (topics it tags alone or is a passing name of, the weak words it is a form
        # of)
        self._matcher = PhraseMatcher(
            {
                phrase: (masks.get(phrase, 0), tuple(weak.get(phrase, ())))
                for phrase in dict.fromkeys((*masks, *weak))
            }
        )
        self._yields = tuple(yields)
        self._tails = tuple(tails)
        self._tail_bits = 0
        for bits, _ in tails:
            self._tail_bits |= bits
        self._wall = taxonomy.hashtag_wall if taxonomy.hashtag_wall > 0 else 1 << 62
        self._annotations = annotations
        self._topics_by_mask: dict[int, tuple[str, ...]] = {0: ()}
        self.keyphrases = KeyphraseExtractor(
            taxonomy.user_words(),
            known=(word for word in masks if word.isascii() and " " not in word),
        )

    def _topics(self, mask: int) -> tuple[str, ...]:
        topics = self._topics_by_mask.get(mask)
        if topics is None:
            topics = tuple(t for i, t in enumerate(self._ids) if mask >> i & 1)
            self._topics_by_mask[mask] = topics
        return topics

    def tag(self, tweet: Tweet) -> tuple[str, ...]:
        """Topic ids of ``tweet`` in taxonomy order (empty when no keyword matches)."""
        text = normalize_text(tweet.text)
        mask = 0  # topics (and passing names, shifted) found outside hashtags
        hashed = 0  # topics (and passing names, shifted) found as hashtags
        tail_bits = self._tail_bits
        first_tag: dict[int, int] = {}  # a tail topic's bits -> the end of its first hashtag
        pairs: dict[int, int] = {}  # weak words found: word number -> its topic's bit
        for start, end, (strong, words) in self._matcher.spans(text):
            if strong:
                if start and text[start - 1] == "#":
                    hashed |= strong
                    if strong & tail_bits:
                        for bits, _ in self._tails:
                            if strong & bits and first_tag.get(bits, end) >= end:
                                first_tag[bits] = end
                else:
                    mask |= strong
            for number, bit in words:
                pairs[number] = bit
        if hashed & ~mask:  # some topic or passing name only as hashtags: walls and tails
            mask |= self._hashtags_kept(text, hashed & ~mask, first_tag)
        if len(pairs) > 1:
            once = 0
            for bit in pairs.values():
                mask |= once & bit  # a topic's second weak word
                once |= bit
        topic_bits = self._topic_bits
        if mask > topic_bits:  # a passing name: its topic unless the tweet has one it yields to
            passing = mask >> len(self._ids)
            mask &= topic_bits
            for bit, yields_to in self._yields:
                if passing & bit and not mask & yields_to:
                    mask |= bit
        if self._annotations and tweet.context_annotations:
            mask |= self._annotation_mask(tweet.context_annotations)
        return self._topics(mask)

    def _hashtags_kept(self, text: str, hashed: int, first_tag: dict[int, int]) -> int:
        """Of ``hashed`` (topics and passing names found only as hashtags), those a hashtag wall
        or a closing run of tags leaves in place."""
        signs = text.count("#")
        if signs >= self._wall:
            hashed &= ~self._topic_bits  # keywords: none; passing names count anywhere
        for bits, threshold in self._tails:
            if hashed & bits and signs >= threshold:
                at = first_tag.get(bits)
                if at is not None and _CLOSING_RUN.fullmatch(text, at) is not None:
                    hashed &= ~bits
        return hashed

    def _annotation_mask(self, names: Iterable[str]) -> int:
        mask = 0
        for name in names:
            key = normalize_text(name)
            _, _, entity = key.partition("/")
            mask |= self._annotations.get(key, 0) | self._annotations.get(entity, 0)
        return mask

    def terms(self, tweet: Tweet) -> tuple[str, ...]:
        """Emerging terms: ``#hashtag`` (casefolded) and ``$CASHTAG`` (upper case), from the
        entities first, then the text; then the text's keyphrases (casefolded, no sigil: ``sam
        altman``, ``gpt-4o``, ``英伟达``; see :mod:`streams.keyphrases`). Deduplicated, at most
        :data:`MAX_TERMS`."""
        found: dict[str, None] = {}
        for tag in tweet.hashtags:
            name = _nfkc(tag).lstrip("#").strip().casefold()
            if name and not name.isdigit():
                found[f"#{name}"] = None
        for tag in tweet.cashtags:
            name = _nfkc(tag).lstrip("$").strip().upper()
            if name:
                found[f"${name}"] = None
        text = tweet.text
        if "＃" in text or "＄" in text:  # full-width marks: normalize the whole text first
            text = unicodedata.normalize("NFKC", text)
        if "#" in text:
            ascii_text = text.isascii()  # then NFKC leaves every name as it is
            for name in _HASHTAG_RE.findall(text):
                if not name.isdigit():
                    found[f"#{(name if ascii_text else _nfkc(name)).casefold()}"] = None
        if "$" in text:
            for name in _CASHTAG_RE.findall(text):
                found[f"${name.upper()}"] = None
        for phrase in self.keyphrases.extract(tweet.text):
            found[phrase] = None
        return tuple(found)[:MAX_TERMS]
