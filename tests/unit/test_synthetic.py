"""The synthetic day: deterministic, realistic in shape, and its ground truth is exact.

The key property: the ground truth equals what the real Tagger and AdClassifier compute over the
generated unique tweets. That is what makes "Redis counts == ground truth" meaningful end to end.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from producers.synthetic import (
    HARD_NEGATIVES,
    MAX_USERNAME,
    PHRASES_EN,
    PHRASES_ZH,
    TRUTH_VERSION,
    GroundTruth,
    generate_day,
    read_ground_truth,
    split_late,
    write_ground_truth,
)
from streams.ads import AdClassifier
from streams.counting import split_retweet
from streams.model import Tweet
from streams.taxonomy import Tagger, load_taxonomy
from streams.windows import hour_bucket, minute_bucket, window_by_id, window_for

DAY = date(2025, 11, 7)
SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")
TOPIC_IDS = load_taxonomy().topic_ids


@cache
def tagger() -> Tagger:
    return Tagger(load_taxonomy())


@cache
def day(
    n: int, seed: int, zone: ZoneInfo = SH, start_hour: int = 0
) -> tuple[list[Tweet], GroundTruth]:
    return generate_day(DAY, n, seed, zone, start_hour)


def unique(tweets: list[Tweet]) -> dict[str, Tweet]:
    return {t.id: t for t in tweets}


def computed_truth(tweets: list[Tweet]) -> dict[str, object]:
    """What the real classifier + tagger say about the unique tweets (the pipeline's view)."""
    clf = AdClassifier()
    topics: Counter[str] = Counter()
    minutes: defaultdict[str, Counter[str]] = defaultdict(Counter)
    hours: Counter[str] = Counter()
    ad_ids = []
    for tw in unique(tweets).values():
        hours[str(hour_bucket(tw.created_at))] += 1
        if clf.classify(tw).is_ad:
            ad_ids.append(tw.id)
            continue
        for topic in tagger().tag(tw):
            topics[topic] += 1
            minutes[topic][str(minute_bucket(tw.created_at))] += 1
    return {
        "total": len(unique(tweets)),
        "ads": len(ad_ids),
        "ad_ids": sorted(ad_ids),
        "topics": dict(topics),
        "minutes": {t: dict(m) for t, m in minutes.items()},
        "hours": dict(hours),
        "unique_authors": len({t.author.username for t in unique(tweets).values()}),
    }


# --- the ground truth is exact ---------------------------------------------------------------


@pytest.mark.parametrize(("n", "seed"), [(1_000, 1), (1_000, 7), (10_000, 2), (10_000, 11)])
def test_truth_equals_tagger_and_classifier(n: int, seed: int) -> None:
    tweets, truth = day(n, seed)
    window = truth.windows[truth.window_id]
    got = computed_truth(tweets)
    assert got["total"] == window["total"] == truth.n_tweets == n
    assert got["ads"] == window["ads"]
    assert got["ad_ids"] == window["ad_ids"]
    assert got["topics"] == window["topics"]
    assert got["minutes"] == window["minutes"]
    assert got["hours"] == window["hours"]
    assert got["unique_authors"] == window["unique_authors"]
    assert list(window["topics"]) == [t for t in TOPIC_IDS if t in window["topics"]]
    assert window["late"] == len(window["late_ids"]) == truth.late > 0


@pytest.mark.parametrize("lang_bank", [PHRASES_EN, PHRASES_ZH])
def test_every_phrase_tags_exactly_its_topic_and_is_no_ad(
    lang_bank: dict[str, tuple[str, ...]],
) -> None:
    clf = AdClassifier()
    assert list(lang_bank) == TOPIC_IDS
    for topic, phrases in lang_bank.items():
        for phrase in phrases:
            tw = Tweet(id="1", text=phrase, created_at=datetime.now(UTC))
            assert tagger().tag(tw) == (topic,), phrase
            assert clf.classify(tw).score == 0, phrase


def test_hard_negatives_are_organic_with_their_topics() -> None:
    clf = AdClassifier()
    for text, _, topics in HARD_NEGATIVES:
        tw = Tweet(id="1", text=text, created_at=datetime.now(UTC))
        assert not clf.classify(tw).is_ad, text
        assert tagger().tag(tw) == topics, text


# --- determinism -----------------------------------------------------------------------------


def test_same_arguments_same_day() -> None:
    a_tweets, a_truth = generate_day(DAY, 2_000, 5, SH)
    b_tweets, b_truth = generate_day(DAY, 2_000, 5, SH)
    assert a_tweets == b_tweets
    assert [t.id for t in a_tweets] == [t.id for t in b_tweets]
    assert a_truth == b_truth


def test_other_seed_other_day() -> None:
    a_tweets, _ = generate_day(DAY, 500, 5, SH)
    b_tweets, _ = generate_day(DAY, 500, 6, SH)
    assert [t.text for t in a_tweets] != [t.text for t in b_tweets]


# --- shape of the day ------------------------------------------------------------------------


@pytest.mark.parametrize(("zone", "start_hour"), [(SH, 0), (SH, 9), (NY, 0), (ZoneInfo("UTC"), 6)])
def test_tweets_lie_in_the_window_with_unique_snowflake_ids(
    zone: ZoneInfo, start_hour: int
) -> None:
    tweets, truth = generate_day(date(2025, 3, 9), 3_000, 3, zone, start_hour)  # NY: a DST day
    window = window_by_id(truth.window_id, zone, start_hour)
    assert truth.window_id == "20250309"
    by_id = unique(tweets)
    assert len(by_id) == 3_000
    for tw in by_id.values():
        assert tw.created_at.tzinfo is not None and tw.created_at.utcoffset() is not None
        assert window.start <= tw.created_at < window.end
        assert window_for(tw.created_at, zone, start_hour).id == truth.window_id
        assert len(tw.id) == 19
    ordered = sorted(by_id.values(), key=lambda t: (t.created_at, int(t.id)))
    assert [int(t.id) for t in ordered] == sorted(int(t.id) for t in ordered)


def test_emission_is_mildly_out_of_order_and_never_5_minutes_late() -> None:
    tweets, truth = day(10_000, 2)
    tweets, _ = split_late(tweets, truth)  # before the close: never more than 5 minutes late
    newest = tweets[0].created_at
    worst = 0.0
    for tw in tweets:
        worst = max(worst, (newest - tw.created_at).total_seconds())
        newest = max(newest, tw.created_at)
    assert 60 < worst <= 300


def test_duplicates_are_the_same_object_repeated_later() -> None:
    tweets, truth = day(10_000, 2)
    assert truth.duplicates == len(tweets) - 10_000 == 200
    first_at: dict[str, int] = {}
    repeats = 0
    for i, tw in enumerate(tweets):
        if tw.id in first_at:
            assert tweets[first_at[tw.id]] is tw
            assert i > first_at[tw.id]
            repeats += 1
        else:
            first_at[tw.id] = i
    assert repeats == truth.duplicates
    sent = Counter(tw.id for tw in tweets)
    assert all(sent[i] == 1 for i in truth.late_ids), "late tweets are never retried"


@pytest.mark.parametrize(
    ("n", "seed", "expected"),
    [(0, 1, 0), (400, 3, 1), (999, 3, 2), (1_000, 1, 2), (10_000, 2, 20), (10_000, 11, 20)],
)
def test_late_tweets_come_last_once_each_and_are_counted_in_the_truth(
    n: int, seed: int, expected: int
) -> None:
    tweets, truth = generate_day(DAY, n, seed, SH)
    window = truth.windows[truth.window_id]
    on_time, late = split_late(tweets, truth)
    assert truth.late == window["late"] == len(late) == expected
    assert on_time + late == tweets
    assert sorted(t.id for t in late) == window["late_ids"] == truth.late_ids
    assert len({t.id for t in late}) == len(late), "a late tweet is sent once"
    assert not {t.id for t in late} & {t.id for t in on_time}, "and only after the close"
    assert [t.created_at for t in late] == sorted(t.created_at for t in late)
    bounds = window_by_id(truth.window_id, SH)
    assert all(bounds.start <= t.created_at < bounds.end for t in late), "inside the day"
    # kept: the window's counts include them
    assert window["total"] == len(unique(on_time)) + len(late) == n


def test_at_least_one_late_tweet_from_1000_tweets_on() -> None:
    _, truth = generate_day(DAY, 1_000, 4, SH, late_share=0.0001)
    assert truth.late == 1
    _, truth = generate_day(DAY, 5_000, 4, SH, late_share=0)
    assert truth.late == 0


def test_mix_of_ads_languages_retweets_and_replies() -> None:
    tweets, truth = day(10_000, 2)
    by_id = unique(tweets)
    window = truth.windows[truth.window_id]
    assert window["ads"] == 1_000  # round(n * ad_share)
    langs = Counter(t.lang for t in by_id.values())
    assert 0.10 < langs["zh"] / 10_000 < 0.20
    retweets = [t for t in by_id.values() if t.is_retweet]
    assert 0.10 < len(retweets) / 10_000 < 0.25
    assert max(len(t.author.username or "") for t in by_id.values()) <= MAX_USERNAME
    for rt in retweets:
        assert rt.text.startswith("RT @")
        # a valid X username, so the prefix names the original's author (a longer one made the
        # retweet's quoted record differ from the original's, in whichever order they counted)
        original = by_id[rt.references[0].id or ""]
        assert split_retweet(rt.text) == (original.author.username, original.text)
        assert [r.type for r in rt.references] == ["retweeted"]
        assert rt.references[0].id in by_id, "retweets point at a tweet of the day"
    quotes = [t for t in by_id.values() if any(r.type == "quoted" for r in t.references)]
    assert 0.02 < len(quotes) / 10_000 < 0.06
    permalinks = 0
    for quote in quotes:
        quoted = by_id[quote.references[0].id or ""]
        assert [r.type for r in quote.references] == ["quoted"]
        assert not quote.is_retweet and not quote.text.startswith("@")
        assert quoted.created_at <= quote.created_at and not quoted.is_retweet
        if quote.urls == (f"https://twitter.com/{quoted.author.username}/status/{quoted.id}",):
            assert quote.text.split()[-1].startswith("https://t.co/")  # as v2 sends a quote
            permalinks += 1
    assert permalinks > 0.6 * len(quotes)  # the others carry a link of their own
    assert {q.lang for q in quotes} == {"en", "zh"}
    assert any(r.type == "replied_to" for t in by_id.values() for r in t.references)
    ad_texts = Counter(by_id[i].text for i in window["ad_ids"])
    campaign, posts = ad_texts.most_common(1)[0]
    assert posts >= 10, "some ad campaigns are posted by many accounts"
    assert (
        len({by_id[i].author.username for i in window["ad_ids"] if by_id[i].text == campaign}) > 5
    )


def test_quotes_quote_popular_originals_mostly_on_their_topic() -> None:
    tweets, truth = day(10_000, 2)
    by_id = unique(tweets)
    topics = {t.id: tagger().tag(t) for t in by_id.values()}
    originals = [t.metrics.engagement for t in by_id.values() if not t.references]
    pairs = [(t, by_id[r.id or ""]) for t in by_id.values() for r in t.references
             if r.type == "quoted"]  # fmt: skip
    quoted = [q.metrics.engagement for _, q in pairs]
    assert statistics.median(quoted) > 1.5 * statistics.median(originals)
    both = [(topics[t.id], topics[q.id]) for t, q in pairs if topics[t.id] and topics[q.id]]
    assert sum(1 for a, b in both if set(a) & set(b)) > 0.6 * len(both)
    assert not {t.id for t, _ in pairs} & set(truth.window["ad_ids"]), "quotes are organic"


def test_diurnal_curve_and_popular_tweets() -> None:
    tweets, _ = day(10_000, 2)
    per_hour = Counter(t.created_at.astimezone(SH).hour for t in unique(tweets).values())
    night = statistics.mean(per_hour[h] for h in range(2, 6))
    daytime = statistics.mean(per_hour[h] for h in range(10, 22))
    assert daytime > 3 * night
    engagement = sorted(t.metrics.engagement for t in unique(tweets).values())
    assert engagement[-1] > 50 * max(statistics.median(engagement), 1)
    for tw in unique(tweets).values():
        assert tw.author.username and tw.author.followers_count is not None


def test_bursts_are_real_rate_spikes_of_one_topic() -> None:
    _, truth = day(10_000, 2)
    window = truth.windows[truth.window_id]
    assert 1 <= len(window["bursts"]) <= 2
    for burst in window["bursts"]:
        start = datetime.fromisoformat(burst["start"])
        end = datetime.fromisoformat(burst["end"])
        assert start.tzinfo is not None and start < end
        minutes = window["minutes"][burst["topic"]]
        inside = [c for m, c in minutes.items() if start.timestamp() <= int(m) < end.timestamp()]
        outside = [
            c for m, c in minutes.items() if not start.timestamp() <= int(m) < end.timestamp()
        ]
        in_rate = sum(inside) / ((end - start).total_seconds() / 60)
        out_rate = sum(outside) / (1440 - (end - start).total_seconds() / 60)
        assert in_rate > 5 * out_rate, burst


def test_tweets_survive_a_json_round_trip() -> None:
    tweets, _ = day(1_000, 1)
    for tw in tweets[:200]:
        assert Tweet.model_validate_json(tw.model_dump_json()) == tw


# --- ground truth file -----------------------------------------------------------------------


def test_ground_truth_round_trip(tmp_path: Path) -> None:
    _, truth = day(1_000, 1)
    path = tmp_path / "truth.json"
    write_ground_truth(truth, path)
    assert read_ground_truth(path) == truth
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["seed"] == 1 and doc["n_tweets"] == 1_000 and doc["window_id"] == "20251107"
    assert doc["version"] == TRUTH_VERSION == 2
    assert doc["late"] == 2 == len(doc["windows"]["20251107"]["late_ids"])
    assert set(doc["windows"]["20251107"]) >= {
        "total",
        "ads",
        "topics",
        "minutes",
        "ad_ids",
        "bursts",
        "late",
        "late_ids",
    }
    assert truth.window is truth.windows["20251107"]
    assert truth.bursts == truth.window["bursts"]


@pytest.mark.parametrize(
    "content", ["[]", '{"version": 99}', '{"version": 1, "seed": 3}', '{"version": 2, "seed": 3}']
)
def test_reading_a_foreign_file_fails(tmp_path: Path, content: str) -> None:
    path = tmp_path / "truth.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="ground-truth"):
        read_ground_truth(path)


# --- edges -----------------------------------------------------------------------------------


def test_empty_day() -> None:
    tweets, truth = generate_day(DAY, 0, 1, SH)
    assert tweets == []
    window = truth.windows[truth.window_id]
    assert (window["total"], window["ads"], window["topics"], truth.duplicates) == (0, 0, {}, 0)
    assert (truth.late, window["late_ids"]) == (0, [])


def test_shares_can_be_zero() -> None:
    tweets, truth = generate_day(
        DAY, 500, 1, SH, ad_share=0, zh_share=0, duplicate_share=0, late_share=0
    )
    assert len(tweets) == 500 and truth.duplicates == 0 and truth.late == 0
    assert truth.windows[truth.window_id]["ads"] == 0
    assert all(t.lang == "en" for t in tweets if not t.text.startswith(("RT @", "@")))


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"n_tweets": -1}, "n_tweets"),
        ({"start_hour": 24}, "start_hour"),
        ({"ad_share": 1.5}, "ad_share"),
        ({"zh_share": -0.1}, "zh_share"),
        ({"duplicate_share": 2.0}, "duplicate_share"),
        ({"late_share": -0.01}, "late_share"),
    ],
)
def test_bad_arguments(kwargs: dict[str, float], problem: str) -> None:
    args: dict[str, object] = {"day": DAY, "n_tweets": 10, "seed": 1, "zone": SH} | kwargs
    with pytest.raises(ValueError, match=problem):
        generate_day(**args)  # type: ignore[arg-type]


# --- the command line ------------------------------------------------------------------------


def test_cli_to_file_puts_the_late_tweets_last(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tweetpulse.cli import main

    out, truth_path = tmp_path / "day.jsonl", tmp_path / "truth.json"
    args = ["produce", "synthetic", "--tweets", "1000", "--seed", "3", "--day", "2025-11-07"]
    assert main([*args, "--to-file", str(out), "--truth", str(truth_path)]) == 0
    truth = read_ground_truth(truth_path)
    lines = out.read_bytes().splitlines()
    assert len(lines) == 1000 + truth.duplicates
    ids = [json.loads(line)["tweets"][0]["id"] for line in lines]
    assert truth.late == 2 and sorted(ids[-truth.late :]) == truth.late_ids
    assert not set(ids[: -truth.late]) & set(truth.late_ids)
    assert f"(the last {truth.late} are late)" in capsys.readouterr().out


def test_cli_help_explains_the_late_tweets(capsys: pytest.CaptureFixture[str]) -> None:
    from tweetpulse.cli import main

    with pytest.raises(SystemExit):
        main(["produce", "synthetic", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--late-after SECONDS" in text and "late tweets" in text and "--redis-url" in text
