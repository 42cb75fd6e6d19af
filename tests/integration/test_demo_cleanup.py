"""``tweetpulse demo`` on the real Kafka and Redis: it removes its run's topics, consumer groups
and keys at the end (the report files stay), writes the report in the language asked, and the
report says how many rows a lossy id merged. Invented tweets only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import orjson
import pytest
import redis
from kafka import KafkaConsumer
from kafka.admin import KafkaAdminClient

from streams.keys import Keys
from streams.settings import Settings
from tweetpulse.demo import clean_up, run_demo

from .conftest import raw_producer

T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai: window 20251107
LOSSY_ID = "1986000000000000000"


def _admin(settings: Settings) -> KafkaAdminClient:
    return KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap.split(","))


def _topics(settings: Settings, prefix: str) -> list[str]:
    admin = _admin(settings)
    try:
        return sorted(t for t in admin.list_topics() if t.startswith(prefix))
    finally:
        admin.close()


def _groups(settings: Settings, prefix: str) -> list[str]:
    admin = _admin(settings)
    try:
        return sorted(
            g["group_id"] for g in admin.list_groups() if g["group_id"].startswith(prefix)
        )
    finally:
        admin.close()


def _keys(client: redis.Redis, prefix: str) -> list[bytes]:
    return list(client.scan_iter(match=f"{prefix}*", count=1000))


def test_clean_up_removes_the_namespace_and_nothing_else(
    settings: Settings, rdb: redis.Redis
) -> None:
    keys = Keys(settings.key_prefix)
    for i in range(2500):  # more than one SCAN/UNLINK batch
        rdb.set(f"{settings.key_prefix}k{i}", i)
    rdb.sadd(keys.merged("20251107"), "1:a", "1:b")
    sibling = f"{settings.key_prefix[:-1]}x:kept"  # the same stem, another namespace
    rdb.set(sibling, 1)
    producer = raw_producer(settings)  # a committed group, as the summarizer leaves one
    try:
        producer.send(settings.topic("tweets.raw"), b"{}").get(timeout=30)
    finally:
        producer.close()
    consumer = KafkaConsumer(
        settings.topic("tweets.raw"),
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=f"{settings.app_id}-summarizer",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    try:
        for _ in range(40):
            if consumer.poll(timeout_ms=500):
                break
        consumer.commit()
    finally:
        consumer.close()
    assert len(_topics(settings, settings.topic_prefix)) == 7
    assert _groups(settings, settings.app_id) == [f"{settings.app_id}-summarizer"]
    try:
        removed = clean_up(settings, rdb)
        assert removed.keys == 2501
        assert len(removed.topics) == 7 and removed.groups == (f"{settings.app_id}-summarizer",)
        assert _keys(rdb, settings.key_prefix) == []
        assert rdb.get(sibling) == b"1"
        assert _topics(settings, settings.topic_prefix) == []
        assert _groups(settings, settings.app_id) == []
        assert "2,501 Redis keys" in removed.summary(settings)
    finally:
        rdb.delete(sibling)


def _v2(tweet_id: str, user: str, text: str, at: datetime, *, lossy: bool = False) -> bytes:
    data: dict[str, object] = {
        "id": tweet_id,
        "text": text,
        "created_at": at.isoformat().replace("+00:00", "Z"),
        "lang": "en",
        "author_id": f"id-{user}",
        "public_metrics": {"like_count": 5, "retweet_count": 1, "reply_count": 0},
    }
    if lossy:
        data["id_is_lossy_float"] = True
    users = [{"id": f"id-{user}", "username": user}]
    return orjson.dumps({"data": data, "includes": {"users": users}})


def _corpus(path: Path) -> Path:
    """A day of 40 tweets, three of which (three accounts retweeting one post in the same
    second) share one lossy id, and two tweets of the next day (so the first day closes)."""
    lines = [
        _v2(
            f"19860000000000{i:05d}",
            f"user{i}",
            f"Our RAG pipeline answers questions over the wiki now, day note {i}",
            T0 + timedelta(minutes=7 * i),
        )
        for i in range(37)
    ]
    retweet = "RT @lab: We open sourced the vector search index behind our agent"
    lines += [_v2(LOSSY_ID, user, retweet, T0, lossy=True) for user in ("ann", "ben", "cat")]
    lines += [
        _v2(f"19870000000000{i:05d}", "late", f"next day {i}", T0 + timedelta(days=1, hours=i))
        for i in range(2)
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_the_demo_writes_its_report_in_english_and_leaves_nothing_behind(
    settings: Settings, rdb: redis.Redis, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_demo(
        settings,
        corpus=_corpus(tmp_path / "lossy.jsonl"),
        tweets=1,
        seed=1,
        day=date(2025, 11, 7),
        timeout=180.0,
        lang="en",
    )
    assert code == 0
    printed = capsys.readouterr().out
    (run_dir,) = (settings.out_dir / "demo").iterdir()
    run_id = run_dir.name
    report = run_dir / "_posts" / "2025-11-07-twitter_ai_20251107_20251108.md"
    markdown = report.read_text("utf-8")  # the report stays
    assert "# Twitter AI Topic Summary Report" in markdown
    lines = markdown.split("\n")
    closing = lines[lines.index("Ad content filtering") :]
    assert (
        "- 2 more tweets in this window share an incomplete id (stored as a float) with a tweet "
        "already counted; they cannot be told apart, so each such id counts once."
    ) in closing
    assert "removed the run's" in printed
    # the run's namespace is gone from Kafka and Redis
    assert _topics(settings, f"{settings.topic_prefix}{run_id}.") == []
    assert _groups(settings, f"{settings.app_id}-{run_id}") == []
    assert _keys(rdb, f"{settings.key_prefix}{run_id}:") == []
