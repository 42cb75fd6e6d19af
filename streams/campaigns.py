"""Near-duplicate campaigns: one template posted by many accounts within a time window (pure).

A campaign is what a bot farm or a paid-promotion ring looks like from the stream: the same
text, with small variations (a different link, promo code, WeChat id, ticker, emoji or mention),
posted by many distinct accounts in a short time. :class:`CampaignDetector` fingerprints each
tweet with a 64-bit **SimHash** and groups tweets whose fingerprints differ in at most
``max_distance`` bits; a group that reaches ``min_accounts`` distinct accounts is a campaign,
and :meth:`CampaignDetector.observe` then returns a :class:`CampaignHit` for each further post.

Fingerprint (:func:`simhash`): the tweet's normalized text (see
:func:`~streams.taxonomy.normalize_text`) without the retweet prefix, links, @mentions and
$cashtags; the features are its ASCII words without their punctuation and, in CJK text (which
has no spaces), the pairs of adjacent characters; every digit run is folded to ``0`` and every
word holding a digit becomes ``0`` (codes, prices, phone numbers and WeChat ids vary between a
campaign's posts). Only the first :data:`MAX_FEATURES` features count: a template shows in its
opening words, and the cost stays flat for long posts. Texts with fewer than ``min_features``
features (short replies such as "congrats!" that thousands of people post on their own) get no
fingerprint and never match.

Each feature is hashed to 64 bits from its UTF-8 bytes (FNV-1a, then MurmurHash3's 64-bit
finalizer, so that every bit depends on every byte), and bit *i* of the fingerprint is set when
more than half the features' hashes have bit *i* set. In a compiled build
(:mod:`streams.native`) the C extension ``streams/_simhash.c`` reads the same features straight
from the text and returns the same fingerprints, bit for bit, without a string or a cache entry
per feature (Chinese text has more distinct character pairs than any cache would hold).
Fingerprints are shared between workers (:mod:`streams.campaign_exchange`), so all workers must
run one version of this function: a worker of another version matches none of their groups
until the next deploy of it.

Lookup: the 64 bits are split into 4 bands of 16; two fingerprints within 3 bits share at least
one band (pigeonhole), so an index on the bands finds every candidate without a scan.

What counts as evidence:

* only tweets that carry an account (``author.id`` or ``author.username``) are added;
* a **retweet** is never added: a popular original retweeted by thousands is organic. It is
  looked up, so a retweet spreading a known campaign's text is a hit (a retweet is judged by
  what it spreads).

Memory is bounded: entries older than ``window`` (event time, relative to the newest tweet
seen) are evicted, and so are the oldest entries beyond ``max_entries``; a group lives while it
has entries, and remembers at most :data:`MAX_TRACKED_ACCOUNTS` account names. A template
therefore stays a campaign as long as it keeps being posted at least once per window.

Several workers: each detector sees only the tweets its worker consumes. With
:meth:`CampaignDetector.share` on, every post it adds also goes to an outbox
(:meth:`~CampaignDetector.take_shared`) that the worker publishes to the others
(:mod:`streams.campaign_exchange`), and posts the others added come in through
:meth:`~CampaignDetector.add_shared`: evidence for this detector's groups, with no verdict of
their own. A campaign then needs ``min_accounts`` accounts across all workers, seen within about
one exchange interval.

Limits: the first ``min_accounts - 1`` posts of a campaign are seen before it is one and get no
hit (a stream cannot look back). Not thread-safe: use one detector per agent (and exchange on
that agent's event loop).
"""

from __future__ import annotations

import functools
import re
import string
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final, NamedTuple

from streams.model import Tweet
from streams.taxonomy import normalize_text

if TYPE_CHECKING:
    from streams.settings import Settings


BITS: Final = 64
BANDS: Final = 4
BAND_BITS: Final = BITS // BANDS
MAX_FEATURES: Final = 32  # features per text (a lane counts them: it must stay below 128)
MAX_TEMPLATE_CHARS: Final = 240  # of normalized text looked at (enough for MAX_FEATURES)
MAX_TRACKED_ACCOUNTS: Final = 64  # per group; a hit reports at most this many accounts
MAX_SCAN: Final = 64  # candidates looked at per band (newest first)
MAX_OUTBOX: Final = 10_000  # posts waiting to be shared (the oldest are dropped beyond it)
FEATURE_CACHE_SIZE: Final = 1 << 16  # feature → spread hash (~100 B each); cleared when full

_DIGITS: Final = re.compile(r"[0-9][0-9]*")  # (a set first: the engine skips to a digit in C)
_SKIPPED: Final = ("http", "www.", "@", "$")  # links, mentions, cashtags
_PUNCT: Final = string.punctuation
_RETWEET_PREFIX: Final = re.compile(r"rt @\w{1,15}: ?")

# SimHash accumulation with integers as vectors: each feature hash is "spread" into 64 lanes of
# 8 bits (lane i holds bit i), so summing the spread hashes counts every bit position at once;
# a lane never exceeds MAX_FEATURES < 128, so lanes never carry into each other.
_LANE_ONES: Final = int.from_bytes(b"\x01" * BITS, "little")
_HIGH_BIT: Final = bytes.maketrans(bytes(range(256)), b"0" * 128 + b"1" * 128)
_BAND_MASK: Final = (1 << BAND_BITS) - 1


def _load_native() -> Callable[[str, int], int | None] | None:
    """The C fingerprint (streams/_simhash.c), importable only in an active compiled build."""
    try:
        from streams._simhash import fingerprint
    except ImportError:
        return None
    return fingerprint


_native_fingerprint: Final = _load_native()
_M64: Final = (1 << 64) - 1
_FNV_OFFSET: Final = 0xCBF29CE484222325
_FNV_PRIME: Final = 0x100000001B3

# byte value → its 8 bits as 8 lanes (bytes of 0 or 1, lowest bit first)
_BYTE_LANES: Final = [bytes((value >> bit) & 1 for bit in range(8)) for value in range(256)]


def feature_hash(feature: str) -> int:
    """64-bit hash of ``feature``'s UTF-8 bytes: FNV-1a, then MurmurHash3's finalizer (fmix64).
    ``streams/_simhash.c`` computes the same."""
    h = _FNV_OFFSET
    for byte in feature.encode("utf-8", "surrogatepass"):
        h = ((h ^ byte) * _FNV_PRIME) & _M64
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _M64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _M64
    return h ^ (h >> 33)


def _spread(feature: str) -> int:
    """``feature``'s hash with bit i moved to the lowest bit of byte i (see above)."""
    lanes = [_BYTE_LANES[byte] for byte in feature_hash(feature).to_bytes(8, "little")]
    return int.from_bytes(b"".join(lanes), "little")


def _template_text(text: str) -> str:
    """``text`` normalized, without a retweet prefix."""
    norm = normalize_text(text)
    if norm.startswith("rt @"):
        prefix = _RETWEET_PREFIX.match(norm)
        if prefix:
            return norm[prefix.end() :]
    return norm


def template_features(text: str) -> list[str]:
    """The features ``text``'s fingerprint is built from (see the module docstring)."""
    norm = _template_text(text)
    features: list[str] = []
    for token in _DIGITS.sub("0", norm[:MAX_TEMPLATE_CHARS]).split():
        if token.startswith(_SKIPPED):
            continue
        if token.isascii():
            if "/" in token:  # a bare link: bit.ly/x, t.me/x
                continue
            word = token.strip(_PUNCT)
            if word:
                features.append("0" if "0" in word else word)
        elif len(token) == 1:  # an emoji, a lone character
            features.append(token)
        else:  # CJK has no spaces: pairs of adjacent characters (no more than are kept)
            chars = token[: MAX_FEATURES - len(features) + 1]
            features.extend([chars[i : i + 2] for i in range(len(chars) - 1)])
        if len(features) >= MAX_FEATURES:
            break
    return features[:MAX_FEATURES]


_spreads: dict[str, int] = {}  # feature → its spread hash (cleared when full)


@functools.lru_cache(maxsize=8192)
def simhash(text: str, min_features: int = 8) -> int | None:
    """64-bit SimHash of ``text``'s template, or None when it has fewer than ``min_features``
    features. Cached: retweets repeat the texts of popular posts many times."""
    if _native_fingerprint is not None:
        return _native_fingerprint(_template_text(text), min_features)
    return python_simhash(text, min_features)


def python_simhash(text: str, min_features: int = 8) -> int | None:
    """:func:`simhash` in Python (the reference the C extension is tested against)."""
    features = template_features(text)
    n = len(features)
    if n < max(min_features, 1):
        return None
    spreads = _spreads
    acc = 0
    for feature in features:  # (a plain loop: compiled, it beats sum(map(...)) on misses)
        spread = spreads.get(feature)
        if spread is None:
            if len(spreads) >= FEATURE_CACHE_SIZE:
                spreads.clear()
            spread = spreads[feature] = _spread(feature)
        acc += spread
    # Bit i is set when more than half the features have it: add (128 - t) to every lane, with
    # t = n // 2 + 1, and read each lane's top bit.
    acc += (128 - (n // 2 + 1)) * _LANE_ONES
    # lane i's top bit is the i-th character, and bit i of the fingerprint
    return int(acc.to_bytes(BITS, "little").translate(_HIGH_BIT)[::-1], 2)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


@dataclass(frozen=True, slots=True)
class CampaignHit:
    """A tweet belongs to a campaign: ``accounts`` distinct accounts (counted up to
    :data:`MAX_TRACKED_ACCOUNTS`) posted ``posts`` near-copies since ``first_seen``."""

    fingerprint: int  # SimHash of the group's first post: a stable id for the campaign
    accounts: int
    posts: int
    first_seen: datetime


@dataclass(slots=True)
class _Group:
    fingerprint: int
    first_ts: float
    accounts: set[str] = field(default_factory=set)
    posts: int = 0
    live: int = 0  # entries of this group still in the detector


class SharedPost(NamedTuple):
    """A post one detector added, as another detector adds it (:meth:`CampaignDetector.add_shared`):
    its fingerprint, event time (epoch s) and account."""

    fingerprint: int
    ts: float
    account: str


@dataclass(frozen=True, slots=True)
class _Entry:
    fingerprint: int
    group: int
    ts: float


class CampaignDetector:
    """Finds near-duplicate campaigns in a stream of tweets, in bounded memory (see module)."""

    def __init__(
        self,
        *,
        window: timedelta = timedelta(hours=1),
        min_accounts: int = 5,
        max_distance: int = 3,
        max_entries: int = 100_000,
        min_features: int = 8,
    ) -> None:
        if window <= timedelta(0):
            msg = f"campaign window must be positive; got {window!r}"
            raise ValueError(msg)
        if not 2 <= min_accounts <= MAX_TRACKED_ACCOUNTS:
            msg = (
                f"campaign min_accounts must be in [2, {MAX_TRACKED_ACCOUNTS}]; got {min_accounts}"
            )
            raise ValueError(msg)
        if not 0 <= max_distance < BANDS:
            msg = f"campaign max_distance must be in [0, {BANDS - 1}]; got {max_distance}"
            raise ValueError(msg)
        if max_entries < 1:
            msg = f"campaign max_entries must be at least 1; got {max_entries}"
            raise ValueError(msg)
        self.window = window.total_seconds()
        self.min_accounts = min_accounts
        self.max_distance = max_distance
        self.max_entries = max_entries
        self.min_features = min_features
        self._seq = 0
        self._newest = float("-inf")
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._bands: dict[int, dict[int, None]] = {}
        self._groups: dict[int, _Group] = {}
        self._outbox: deque[SharedPost] | None = None  # None: not sharing
        self._max_outbox = MAX_OUTBOX

    @classmethod
    def from_settings(cls, settings: Settings) -> CampaignDetector | None:
        """The detector the ``TWEETPULSE_CAMPAIGN_*`` settings describe; None when
        ``TWEETPULSE_CAMPAIGN_DETECTION`` is off."""
        if not settings.campaign_detection:
            return None
        return cls(
            window=settings.campaign_window,
            min_accounts=settings.campaign_min_accounts,
            max_distance=settings.campaign_max_distance,
            max_entries=settings.campaign_max_entries,
        )

    def __len__(self) -> int:
        """Entries held (at most ``max_entries``)."""
        return len(self._entries)

    @property
    def groups(self) -> int:
        """Groups of near-duplicates held (campaigns or not yet)."""
        return len(self._groups)

    def observe(self, tweet: Tweet) -> CampaignHit | None:
        """Add ``tweet`` (unless it is a retweet or has no account) and say whether it belongs
        to a campaign."""
        fp = simhash(tweet.text, self.min_features)
        if fp is None:
            return None
        ts = tweet.created_at.timestamp()
        author = tweet.author
        account = author.id or (author.username.casefold() if author.username else None)
        if tweet.is_retweet or account is None:
            self._expire(ts)
            group_id = self._nearest(fp, ts)
            if group_id is None:
                return None
            return self._hit(self._groups[group_id])
        if self._outbox is not None:
            if len(self._outbox) >= self._max_outbox:
                self._outbox.popleft()
            self._outbox.append(SharedPost(fp, ts, account))
        return self._hit(self._record(fp, ts, account))

    def share(self, max_posts: int = MAX_OUTBOX) -> None:
        """From now on, keep every post this detector adds for :meth:`take_shared` (at most
        ``max_posts`` waiting: the oldest are dropped beyond that)."""
        if self._outbox is None:
            self._outbox = deque()
        self._max_outbox = max_posts

    def take_shared(self) -> list[SharedPost]:
        """The posts added since the last call (oldest first; empty when not sharing)."""
        if not self._outbox:
            return []
        posts = list(self._outbox)
        self._outbox.clear()
        return posts

    def keep_unsent(self, posts: list[SharedPost]) -> None:
        """Put back posts from :meth:`take_shared` that could not be sent: they go out first
        next time (the oldest are dropped beyond the outbox's bound)."""
        if self._outbox is None:
            return
        self._outbox.extendleft(reversed(posts))
        while len(self._outbox) > self._max_outbox:
            self._outbox.popleft()

    def add_shared(self, posts: Iterable[SharedPost]) -> None:
        """Add posts another detector added (:meth:`take_shared`): they join the groups like
        this detector's own posts, without a verdict and without being shared again. A post
        already older than the window (this detector's clock ran ahead: a fast replay) is
        dropped: it could match nothing, and would only crowd the newest candidates."""
        for post in posts:
            if post.ts >= self._newest - self.window:
                self._record(post.fingerprint, post.ts, post.account)

    def _record(self, fp: int, ts: float, account: str) -> _Group:
        """Add one post by ``account`` to the group of its nearest fingerprint (or a new one)."""
        self._expire(ts)
        group_id = self._nearest(fp, ts)
        if group_id is None:
            group_id = self._seq
            group = self._groups[group_id] = _Group(fp, ts)
        else:
            group = self._groups[group_id]
        group.posts += 1
        group.live += 1
        group.first_ts = min(group.first_ts, ts)
        if len(group.accounts) < MAX_TRACKED_ACCOUNTS:
            group.accounts.add(account)
        self._add(_Entry(fp, group_id, ts))
        return group

    def _hit(self, group: _Group) -> CampaignHit | None:
        if len(group.accounts) < self.min_accounts:
            return None
        return CampaignHit(
            fingerprint=group.fingerprint,
            accounts=len(group.accounts),
            posts=group.posts,
            first_seen=datetime.fromtimestamp(group.first_ts, UTC),
        )

    def _nearest(self, fp: int, ts: float) -> int | None:
        """Group of the closest live entry within ``max_distance`` bits and the window."""
        best_group: int | None = None
        best = self.max_distance + 1
        entries = self._entries
        for band in range(BANDS):
            seqs = self._bands.get(band << BAND_BITS | (fp >> (band * BAND_BITS)) & _BAND_MASK)
            if not seqs:
                continue
            for scanned, seq in enumerate(reversed(seqs)):
                if scanned >= MAX_SCAN:
                    break
                entry = entries[seq]
                distance = (fp ^ entry.fingerprint).bit_count()
                if distance < best and abs(ts - entry.ts) <= self.window:
                    best, best_group = distance, entry.group
                    if distance == 0:
                        return best_group
        return best_group

    def _add(self, entry: _Entry) -> None:
        seq = self._seq
        self._seq += 1
        self._entries[seq] = entry
        fp = entry.fingerprint
        for band in range(BANDS):
            key = band << BAND_BITS | (fp >> (band * BAND_BITS)) & _BAND_MASK
            seqs = self._bands.get(key)
            if seqs is None:
                self._bands[key] = {seq: None}
            else:
                seqs[seq] = None
        while len(self._entries) > self.max_entries:
            self._evict()

    def _expire(self, ts: float) -> None:
        if ts > self._newest:
            self._newest = ts
        cutoff = self._newest - self.window
        entries = self._entries
        while entries and entries[next(iter(entries))].ts < cutoff:
            self._evict()

    def _evict(self) -> None:
        seq, entry = self._entries.popitem(last=False)
        fp = entry.fingerprint
        for band in range(BANDS):
            key = band << BAND_BITS | (fp >> (band * BAND_BITS)) & _BAND_MASK
            seqs = self._bands[key]
            del seqs[seq]
            if not seqs:
                del self._bands[key]
        group = self._groups[entry.group]
        group.live -= 1
        if group.live == 0:
            del self._groups[entry.group]
