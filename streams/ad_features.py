"""Features of the learned ad model (pure): what a tweet's text looks like, as strings.

The model (:mod:`streams.ad_model`) is a logistic regression over the counts of these
features; the trainer (:mod:`streams.ad_train`) uses :func:`features`, the classifier a faster
equivalent sum (:meth:`streams.ad_model.AdModel.logit_of`, tested equal). Every feature
generalizes beyond one phrasing:

* ``u:`` **unigrams** of the normalized text: ASCII words, numbers (every digit is ``0``:
  "$47" and "$19" are both ``$ 00``), the symbols ``$ % @ #`` and each CJK character or
  emoji on its own;
* ``b:`` **bigrams** of those tokens: English word pairs ("free audit", "book a"), Chinese
  character pairs — words without a segmenter ("会员", "私聊", "领取") — and mixed pairs
  ("0 元", "$ 0", "0 %");
* ``s:`` **structure**: links, shorteners, counts of hashtags / mentions / cashtags / emoji /
  exclamation marks (bucketed), ALL-CAPS words, length;
* ``r:`` the **rule signals** the phrase rules of :mod:`streams.ads` found (a family at weak or
  strong strength, a scam warning, a contact handle, an auto-posting client, a thin account):
  the model learns how much each is worth next to the wording around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Final

# A token: one CJK character (first: the commonest in Chinese text, and no other branch starts
# with one), an ASCII word (with an inner apostrophe), a digit run, a money/percent/tag symbol,
# or one emoji / pictograph.
_TOKEN_RE: Final = re.compile(
    r"[\u3400-\u9fff]|[a-z]+(?:'[a-z]+)?|[0-9]+|[$%@#€£¥]|[\U0001F000-\U0001FAFF\u2600-\u27bf]"
)
_URL_RE: Final = re.compile(r"https?://|www\.|t\.me/|\b[a-z0-9-]+\.(?:com|ai|io|co|me|ly)/")
_CAPS_RE: Final = re.compile(r"\b[A-Z]{4,}\b")
_EMOJI_RE: Final = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27bf]")


def _bucket(count: int, edges: tuple[int, ...]) -> int:
    """The largest edge ``count`` reaches (0 when below every edge)."""
    reached = 0
    for edge in edges:
        if count >= edge:
            reached = edge
    return reached


def tokens(text: str) -> list[str]:
    """Tokens of normalized ``text``; digits become ``0`` ("$47" → ``$ 00``)."""
    # a digit run is the only token in "0" ≤ token < ":"; rewriting those few is cheaper than
    # translating every digit of the text first (10.6 vs 13.9 µs a text over the corpora)
    return [("0" * len(tok) if "0" <= tok < ":" else tok) for tok in _TOKEN_RE.findall(text)]


def structure(text: str, raw: str, n_tokens: int, signals: Iterable[str] = ()) -> list[str]:
    """The ``s:`` and ``r:`` features (see the module docstring)."""
    out: list[str] = []
    urls = len(_URL_RE.findall(text)) if "." in text else 0
    if urls:
        out.append(f"s:url{min(urls, 2)}")
    emoji = 0 if text.isascii() else len(_EMOJI_RE.findall(text))
    if emoji:
        out.append(f"s:emoji{_bucket(emoji, (1, 3, 6))}")
    for symbol, name in (("#", "hash"), ("@", "at"), ("$", "cash"), ("!", "excl")):
        count = text.count(symbol)
        if count:
            out.append(f"s:{name}{_bucket(count, (1, 2, 4))}")
    if _CAPS_RE.search(raw):
        out.append("s:caps")
    out.append(f"s:len{_bucket(n_tokens, (0, 8, 20, 40))}")
    out += ["r:" + signal for signal in signals]
    return out


def features(text: str, raw: str, signals: Iterable[str] = ()) -> list[str]:
    """Every feature occurrence of a tweet (a word twice counts twice), in text order.

    ``text`` is the normalized text (:func:`streams.taxonomy.normalize_text`, a retweet's
    "rt @user:" prefix removed), ``raw`` the original text (for ALL CAPS), ``signals`` the
    rule signals (each becomes ``r:<signal>``). :meth:`streams.ad_model.AdModel.probability_of`
    computes the same sum without building this list.
    """
    toks = tokens(text)
    out = ["u:" + tok for tok in toks]
    out += [f"b:{a} {b}" for a, b in pairwise(toks)]
    return out + structure(text, raw, len(toks), signals)
