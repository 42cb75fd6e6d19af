"""Keyphrases of a tweet's text (pure): the names and noun phrases it mentions, casefolded.

English (one regex pass for runs of names, then a few rules on each run, cached per run; a
part-of-speech tagger would cost more than the whole ingest budget):

* a run of two or three capitalized words or model names joined by single spaces, a small
  version number allowed after a name: "Sam Altman", "Google DeepMind", "Llama 3",
  "Claude 3.5 Sonnet" → ``sam altman``, ``google deepmind``, ``llama 3``,
  ``claude 3.5 sonnet``; punctuation ends a run;
* a single word that looks like a name: inner capitals or all caps (``OpenAI``, ``iPhone``,
  ``NVDA``), letters with digits (``GPT-4o``, ``o3``, ``H100``), a taxonomy keyword, or a
  Capitalized word that does not open a sentence ("… from Google"): an opening Capitalized word
  is usually just an English word;
* in a run longer than three words, or one with a capitalized stopword (a Title Case headline),
  capitals say nothing: only words with inner capitals or digits, and taxonomy keywords, count;
* ``AI-powered`` and ``ChatGPT-based`` count as ``AI`` and ``ChatGPT``; ``OpenAI's`` as
  ``OpenAI``.

Stopwords (``data/keyphrase_stopwords.txt``, section ``[en]``) split a run and never start or
end a phrase; ``[en-generic]`` words (``AI``, ``LLM``, ``model``) are no keyphrase alone but
fine inside one ("EU AI Act"). Never keyphrases: URLs, @mentions, #hashtags and $cashtags (the
tagger has those), numbers, one-letter words, shouting (all-caps words of five letters or more
that are not taxonomy keywords: they split a run too).

Chinese, only where the text is Chinese (:func:`streams.segment.is_chinese`): its Han runs are
cut by jieba (HMM off: unknown characters stay single and are dropped) with the taxonomy's user
words; a token is kept when it has two or more characters, is no dictionary word that is never a
noun (发布, 新一代, 支持; see :func:`streams.segment.non_noun_words`) unless it is a user word, and
is no ``[zh]`` stopword: "英伟达发布新一代芯片" → ``英伟达``, ``芯片``. Hashtags are left out
(they are terms already). Latin names inside Chinese text ("OpenAI发布GPT-5") count as English.

A text Twitter cut short (a retweet, or a text of :data:`CUT_MIN_CHARS` or more, ending in a
``…`` or ``...`` glued to a word, before any trailing links) loses its last word first: "use
Scit…" is "Scit(ation)" cut, no name (see :func:`uncut`). A short text that chose its "…" ("what
a week for Gemini…") keeps it.

Results are cached per text in a bounded LRU (retweets repeat texts). Cost on the real corpora:
see ``tests/bench/ads.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from importlib import resources
from typing import Final

from streams.segment import SEGMENTER, is_chinese, non_noun_words

CUT_MIN_CHARS: Final = 130  # Twitter cut texts at 140 or 280 characters (not counting links)
MAX_RUN: Final = 3  # words in a phrase; a longer capitalized run is a headline
CACHE_SIZE: Final = 16_384  # texts
_CACHED_WORDS: Final = 65_536  # cached verdicts on runs of names (cleared when full)

# What a word is (its verdict, with its casefolded form):
_STOP: Final = 0  # a stopword, a lower-case word or shouting: splits a run, never in a keyphrase
_GENERIC: Final = 1  # too generic or short alone ("AI", "X"), fine inside a phrase ("Google AI")
_NUMBER: Final = 2  # starts with a digit: a version after a name ("Llama 3"), nothing alone
_PLAIN: Final = 3  # a Capitalized word: a name unless it opens a sentence ("Google" / "Great")
_NAME: Final = 4  # inner capitals, a digit, or a taxonomy keyword: a name anywhere

_WORD: Final = r"[A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*"
_VERSION: Final = r"[0-9]{1,2}(?:\.[0-9]{1,2})?(?![A-Za-z0-9_]|\.[0-9])"
_NEXT: Final = rf"[A-Z]{_WORD}|[a-z]+(?:[A-Z]|-?[0-9]){_WORD}|{_VERSION}"
# A run of names separated by single spaces ("Claude 3.5 Sonnet"). It starts with a capital or a
# digit: a character set first lets the regex engine skip ahead in C. The look-behinds that
# follow drop, also in C, a start inside a URL, a mention, a hashtag, a cashtag or a word; a
# lower-case start ("gpt-" of "gpt-4o", "i" of "iPhone") is added back in Python. The first word
# has two characters or more ("I", "A" and "3" alone are no names), but for the "3" of "o3".
_RUN: Final = re.compile(
    r"[A-Z0-9](?<![A-Z0-9_#@$&/.'’=?%+~\\-][A-Z])(?<![A-Z0-9_#@$&/.'’=?%+~\\][0-9])"
    r"(?:[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*|(?:[-.][A-Za-z0-9]+)+|(?<=[a-z-][0-9]))"
    rf"(?: (?:{_NEXT}))*"
)


def _load_runs() -> Callable[[str], list[str]]:
    """``_RUN.findall``, or the same scan written out in C (``streams/_textscan.c``: the regex
    costs ~5 µs per English tweet) when the compiled build is loaded."""
    try:
        from streams._textscan import runs
    except ImportError:
        return _RUN.findall
    return runs


_RUNS: Final = _load_runs()
# A character of a script written without spaces (kana, Han): a cut word there loses its last
# character only.
_CJK_CHAR: Final = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ELLIPSES: Final = ("…", "...")
_STRONG: Final = re.compile(r".+[A-Z]|.*[0-9]")  # a capital after the first letter, or a digit
_NOT_WORDS: Final = re.compile(r"#\w+#?|\[\w{1,8}\]")


def python_not_words(text: str) -> str:
    """``text`` with its hashtags (``#AI``, Weibo's ``#话题#``) and emoticons (``[哈哈]``) as
    spaces."""
    return _NOT_WORDS.sub(" ", text)


def _load_not_words() -> Callable[[str], str]:
    """:func:`python_not_words`, in C (``streams/_textscan.c``) when the compiled build is
    loaded (~7,000 instructions per Weibo post as a regex)."""
    try:
        from streams._textscan import not_words
    except ImportError:
        return python_not_words
    return not_words


_NOT_WORDS_SUB: Final = _load_not_words()
_LOWER: Final = frozenset("abcdefghijklmnopqrstuvwxyz")
_LOWER_OR_DASH: Final = _LOWER | {"-"}
# A character before a lower-case start that puts the name inside something else.
_GLUE: Final = frozenset("0123456789_#@$&/.'’=?%+~\\-")
# Characters skipped when looking back for the end of the previous sentence.
_OPENERS: Final = frozenset(" \t\"“‘'(*[")
# A character before a word that means the sentence goes on.
_CONTINUES: Final = frozenset(",;&-–—")


@cache
def stopwords() -> dict[str, frozenset[str]]:
    """The stopword sections of ``data/keyphrase_stopwords.txt`` (words casefolded)."""
    text = resources.files("streams").joinpath("data/keyphrase_stopwords.txt").read_text("utf-8")
    sections: dict[str, set[str]] = {}
    words: set[str] = set()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            words = sections.setdefault(line[1:-1], set())
        else:
            words.update(word.casefold() for word in line.split())
    return {name: frozenset(found) for name, found in sections.items()}


def _opens_sentence(text: str, start: int) -> bool:
    """True when the word at ``start`` opens a sentence: at the start, after end punctuation,
    an emoji or a line break, or right after a leading @mention ("@sama Great work")."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    if i < 0:
        return True
    if text[i].isalnum() or text[i] == "_":
        return text[text.rfind(" ", 0, i) + 1] == "@"
    return text[i] not in _CONTINUES


class KeyphraseExtractor:
    """English and Chinese keyphrases of a text, in text order (English first); thread-safe.

    ``user_words`` go to jieba (see :class:`streams.segment.Segmenter`); ``known`` are
    casefolded words that are names even when they open a sentence (the taxonomy's single-word
    English keywords). Nothing heavy happens here: jieba's dictionary loads on the first
    Chinese text.
    """

    def __init__(self, user_words: Iterable[str] = (), known: Iterable[str] = ()) -> None:
        self._user_words = frozenset(word.strip() for word in user_words if word.strip())
        SEGMENTER.add_words(self._user_words)
        sections = stopwords()
        self._stop = sections.get("en", frozenset())
        self._generic = sections.get("en-generic", frozenset())
        self._stop_zh = sections.get("zh", frozenset())
        self._known = frozenset(word.casefold() for word in known) - self._stop
        self._drop_zh: frozenset[str] | None = None  # built on the first Chinese text
        self._runs: dict[str, tuple[str, tuple[str, ...]]] = {}  # run of names → verdict
        self.extract = lru_cache(maxsize=CACHE_SIZE)(self._extract)

    def cache_clear(self) -> None:
        """Forget cached texts (benchmarks: every text is new; verdicts on names stay, as they
        do a few thousand tweets into a stream)."""
        self.extract.cache_clear()

    def _extract(self, text: str) -> tuple[str, ...]:
        text = uncut(text)
        found = self._english(text)
        if is_chinese(text):
            if "#" in text or "[" in text:
                # hashtags are terms already ("#人工智能", Weibo's "#话题#"); "[哈哈]": an emoticon
                text = _NOT_WORDS_SUB(text)
            found.extend(self._chinese(text))
        return tuple(dict.fromkeys(found))

    # --- English -------------------------------------------------------------------------------

    def _english(self, text: str) -> list[str]:
        found: list[str] = []
        runs = self._runs
        end = 0
        for found_run in _RUNS(text):  # strings, not match objects: half the cost
            run = found_run
            # where the regex found it: the first [A-Z0-9] from end (``text.find`` called as a
            # method, not bound to a name: compiled, that is a direct C call)
            start = text.find(run, end)
            end = start + len(run)
            if start and text[start - 1] in _LOWER_OR_DASH:
                letters = head = start - 1 if text[start - 1] == "-" else start
                while head and text[head - 1] in _LOWER:
                    head -= 1
                if head == letters or (head and text[head - 1] in _GLUE):
                    continue  # "x-4": no letters; inside a URL, a mention or a longer word
                if head and text[head - 1].isalnum():
                    continue  # glued to a letter of another alphabet ("naïveAI")
                run = text[head:start] + run  # "gpt-4o", "o3", "iPhone", "xAI"
                start = head
            verdict = runs.get(run)
            if verdict is None:
                if len(runs) >= _CACHED_WORDS:
                    runs.clear()
                verdict = runs[run] = self._judge_run(run)
            plain, keys = verdict
            if plain and not _opens_sentence(text, start):
                found.append(plain)
            if keys:
                found.extend(keys)
        return found

    def _judge_run(self, run: str) -> tuple[str, tuple[str, ...]]:
        """The keyphrases of a run of names: a Capitalized first word that is one only when the
        run does not open a sentence (or ''), then the ones that are keyphrases anyway."""
        if " " not in run:
            key, kind = self._verdict(run)
            if kind == _PLAIN:
                return key, ()
            return "", (key,) if kind == _NAME else ()
        verdicts = [self._verdict(word) for word in run.split(" ")]
        if any(kind == _STOP for _, kind in verdicts[1:]):
            # Title Case ("How To Use ChatGPT For Work"): capitals say nothing
            return "", tuple(key for key, kind in verdicts if kind == _NAME)
        plain = ""
        keys: list[str] = []
        piece: list[tuple[str, int]] = []
        first = 0  # index in the run of the piece's first word
        for index, verdict in enumerate((*verdicts, ("", _STOP))):
            if verdict[1] != _STOP:
                if piece or verdict[1] != _NUMBER:  # a version never starts a phrase
                    if not piece:
                        first = index
                    piece.append(verdict)
                continue
            if len(piece) == 1:
                key, kind = piece[0]
                if kind == _NAME or (kind == _PLAIN and first):
                    keys.append(key)
                elif kind == _PLAIN:
                    plain = key
            elif 1 < len(piece) <= MAX_RUN:
                keys.append(" ".join(key for key, _ in piece))
            else:  # too long for a name: a headline
                keys.extend(key for key, kind in piece if kind == _NAME)
            piece = []
        return plain, tuple(keys)

    def _verdict(self, word: str) -> tuple[str, int]:
        """``word`` casefolded (``AI-powered`` → ``ai``) and what kind of word it is."""
        if "-" in word:
            word = _base(word)
        key = word.lower()
        if key in self._known:
            return key, _NAME
        if key in self._stop:
            return key, _STOP
        if word[0] <= "9":
            return key, _NUMBER
        if len(key) < 2 or key in self._generic:
            return key, _GENERIC
        if _STRONG.match(word):
            if len(word) > 4 and word.isupper() and word.isalpha():
                return key, _STOP  # shouting ("BROKE")
            return key, _NAME
        if word[0].islower():
            return key, _STOP  # a common word
        return key, _PLAIN

    # --- Chinese -------------------------------------------------------------------------------

    def _chinese(self, text: str) -> list[str]:
        drop = self._drop_zh
        if drop is None:
            drop = self._drop_zh = (non_noun_words() - self._user_words) | self._stop_zh
        # jieba skips what is not Han itself, faster than a regex could cut it out first; only
        # its tokens of two or more characters, not all ASCII, all letters or digits and not
        # dropped come back (in C, no string is made for the others)
        return SEGMENTER.kept_words(text, drop)


def uncut(text: str) -> str:
    """``text`` without the word a final ``…`` (or ``...``) cut, when Twitter cut it.

    The ellipsis counts when it is glued to a word and comes last but for links after it
    (the legacy API's "Scit… https://t.co/x"), and the text was cut: a retweet (``RT @``), or
    :data:`CUT_MIN_CHARS` characters or more before the ellipsis. A word cut in a Latin script
    goes back to the previous space ("use Scit…" → "use "); in Chinese or Japanese only the last
    character goes ("新一代芯…" → "新一代"). Any other text comes back as it is.
    """
    if "…" not in text and "..." not in text:
        return text  # most texts: a scan in C
    body = text.rstrip()
    if not body.endswith(_ELLIPSES):
        space = max(body.rfind(" "), body.rfind("\n"))
        while space >= 0 and body.startswith("http", space + 1):  # links after the "…"
            body = body[:space].rstrip()
            space = max(body.rfind(" "), body.rfind("\n"))
        if not body.endswith(_ELLIPSES):
            return text
    end = len(body) - (1 if body[-1] == "…" else 3)
    if not end or not body[end - 1].isalnum():
        return text  # "wait for it ..." or "…" alone: no word was cut
    if end < CUT_MIN_CHARS and not text.startswith("RT @"):
        return text  # short: the writer's own "…"
    if body[end - 1].isascii() or not _CJK_CHAR.match(body, end - 1):
        end = max(body.rfind(" ", 0, end), body.rfind("\n", 0, end)) + 1
    else:
        end -= 1
    return body[:end]


def _base(word: str) -> str:
    """``AI-powered`` → ``AI``; ``GPT-4o``, ``o1-preview`` and ``Llama-3`` stay whole."""
    head, dash, tail = word.partition("-")
    if dash and tail.replace("-", "").isalpha() and tail.islower() and head.isalpha():
        return head
    return word
