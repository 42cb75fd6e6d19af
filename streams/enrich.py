"""Validate → dedupe → ad filter → topic tagger, for one record's tweets (pure)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from streams.ads import AdClassifier
from streams.model import EnrichedTweet, Tweet
from streams.taxonomy import Tagger


class RecentIds:
    """A bounded set of recently seen tweet ids (oldest forgotten first).

    It only saves work: the exactly-once guarantee is the Redis seen-set, so forgetting an id
    is harmless.
    """

    def __init__(self, capacity: int = 200_000) -> None:
        self.capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, tweet_id: str) -> bool:
        """Remember ``tweet_id``; False when it was already there."""
        if tweet_id in self._ids:
            return False
        self._ids[tweet_id] = None
        if len(self._ids) > self.capacity:
            self._ids.popitem(last=False)
        return True


class Enricher:
    def __init__(self, classifier: AdClassifier, tagger: Tagger, recent: RecentIds) -> None:
        self.classifier = classifier
        self.tagger = tagger
        self.recent = recent

    def enrich(self, tweets: Iterable[Tweet]) -> tuple[list[EnrichedTweet], int]:
        """Enriched tweets not seen recently, and how many were dropped as duplicates."""
        out: list[EnrichedTweet] = []
        duplicates = 0
        for tweet in tweets:
            if not self.recent.add(tweet.id):
                duplicates += 1
                continue
            verdict = self.classifier.classify(tweet)
            out.append(
                EnrichedTweet(
                    tweet=tweet,
                    ad=verdict,
                    topics=self.tagger.tag(tweet),
                    # an ad's terms are never counted (count_batch.lua): skip the keyphrases
                    terms=() if verdict.is_ad else self.tagger.terms(tweet),
                )
            )
        return out, duplicates
