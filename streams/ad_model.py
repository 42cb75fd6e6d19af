"""The learned part of the ad classifier: a logistic regression over :mod:`streams.ad_features`.

The weights live in ``streams/data/ad_model.json``, written by ``python -m streams.ad_train``
from the labelled fixtures in tests/data and, since round 14, the hand-labelled real audits
(their texts read from the shared corpora; the file holds no text) — a unit test retrains and
compares, so the file is exactly what the command produces. The file holds the bias, one
weight per feature of the training vocabulary (features unseen in training weigh 0), the
``cutoff`` probability at which the model calls a tweet an ad, and the training notes
(hyper-parameters, the cross-validated estimates) for people to read.

Scoring is pure: :meth:`AdModel.probability` sums the weights of a tweet's features. The file
is read once (:func:`default_model`), never at classify time.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import orjson

from streams.ad_features import structure, tokens

if TYPE_CHECKING:
    from streams._wordweights import WordWeights

# (through the package, not ``__file__``: this module may run compiled from build/native)
MODEL_PATH: Final = Path(str(resources.files("streams").joinpath("data/ad_model.json")))
FORMAT: Final = "tweetpulse-ad-model/1"
# The model's verdict maps onto the classifier's 0-1 score so that ``cutoff`` lands on this
# score (the default ad threshold): p below the cutoff scales into [0, 0.6), above into [0.6, 1].
ANCHOR: Final = 0.6


@dataclass(frozen=True, slots=True)
class AdModel:
    """Bias + feature weights of a logistic regression; ``cutoff`` in (0, 1)."""

    bias: float
    weights: Mapping[str, float]
    cutoff: float
    notes: Mapping[str, Any] = field(default_factory=dict)

    _unigrams: dict[str, float] = field(init=False, repr=False, compare=False)
    # bigram weights by first token, then second: scoring looks a pair up without building
    # its "a b" string (a Chinese text has a pair per character)
    _bigrams: dict[str, dict[str, float]] = field(init=False, repr=False, compare=False)
    # whether any weight is a structure or signal feature (``s:``/``r:``): the committed model
    # has none (ad_train.GROUPS), and then logit_of skips computing them
    _structural: bool = field(init=False, repr=False, compare=False)
    # the same two sums in C (streams/_wordweights.c), when the compiled build is loaded
    _native: WordWeights | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 0 < self.cutoff < 1:
            msg = f"ad model cutoff must be in (0, 1); got {self.cutoff!r}"
            raise ValueError(msg)
        # the text features without their prefixes, for logit_of
        unigrams = {f[2:]: w for f, w in self.weights.items() if f.startswith("u:")}
        bigrams: dict[str, dict[str, float]] = {}
        for feature, weight in self.weights.items():
            if feature.startswith("b:"):  # tokens have no spaces: "b:<first> <second>"
                first, _, second = feature[2:].partition(" ")
                bigrams.setdefault(first, {})[second] = weight
        object.__setattr__(self, "_unigrams", unigrams)
        object.__setattr__(self, "_bigrams", bigrams)
        structural = any(not f.startswith(("u:", "b:")) for f in self.weights)
        object.__setattr__(self, "_structural", structural)
        object.__setattr__(self, "_native", _word_weights(unigrams, bigrams))

    def logit_of(self, text: str, raw: str, signals: Iterable[str] = ()) -> float:
        """``logit(features(text, raw, signals))`` without building the feature list."""
        native = self._native
        if native is not None:  # no string per token: the same additions in the same order
            unigrams, pairs, n_tokens = native.sums(text)
        else:
            unigrams, pairs, n_tokens = self._sums(text)
        total = self.bias + unigrams
        if self._bigrams and n_tokens > 1:
            total += pairs
        if not self._structural:  # every such feature would weigh 0: skip the regex passes
            return total
        get = self.weights.get
        return total + sum(get(f, 0.0) for f in structure(text, raw, n_tokens, signals))

    def _sums(self, text: str) -> tuple[float, float, int]:
        """(unigram weights' sum, bigram weights' sum, tokens) of ``text``, in Python."""
        toks = tokens(text)
        uget, bget = self._unigrams.get, self._bigrams.get
        pairs = 0.0  # the same additions in the same order as sum() over every pair's weight
        if self._bigrams and len(toks) > 1:
            for first, second in pairwise(toks):
                seconds = bget(first)
                if seconds is not None:
                    pairs += seconds.get(second, 0.0)
        return sum(uget(tok, 0.0) for tok in toks), pairs, len(toks)

    def probability_of(self, text: str, raw: str, signals: Iterable[str] = ()) -> float:
        return _sigmoid(self.logit_of(text, raw, signals))

    def logit(self, features: Iterable[str]) -> float:
        get = self.weights.get
        return self.bias + sum(get(f, 0.0) for f in features)

    def probability(self, features: Iterable[str]) -> float:
        return _sigmoid(self.logit(features))

    def score(self, probability: float) -> float:
        """``probability`` on the classifier's score scale: ``cutoff`` ↦ :data:`ANCHOR`."""
        cut = self.cutoff
        if probability < cut:
            return ANCHOR * probability / cut
        return ANCHOR + (1 - ANCHOR) * (probability - cut) / (1 - cut)

    def top_features(self, features: Iterable[str], n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` features that pushed hardest towards "ad" (for explanations)."""
        get = self.weights.get
        weighted = [(f, get(f, 0.0)) for f in dict.fromkeys(features)]
        return sorted((fw for fw in weighted if fw[1] > 0), key=lambda fw: -fw[1])[:n]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "bias": self.bias,
            "cutoff": self.cutoff,
            "notes": dict(self.notes),
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AdModel:
        if data.get("format") != FORMAT:
            msg = f"not an ad model file (format {data.get('format')!r}, expected {FORMAT!r})"
            raise ValueError(msg)
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return cls(float(data["bias"]), weights, float(data["cutoff"]), dict(data["notes"]))

    @classmethod
    def load(cls, path: Path) -> AdModel:
        """Read a model file; OSError when unreadable, ValueError when it is no model."""
        return cls.from_dict(orjson.loads(path.read_bytes()))


def _word_weights(
    unigrams: dict[str, float], bigrams: dict[str, dict[str, float]]
) -> WordWeights | None:
    """The model's word weights in C, or None without the compiled build (pure Python)."""
    try:
        from streams._wordweights import WordWeights
    except ImportError:
        return None
    return WordWeights(unigrams, bigrams)


@functools.cache
def default_model() -> AdModel:
    """The committed model (read once per process)."""
    return AdModel.load(MODEL_PATH)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)
