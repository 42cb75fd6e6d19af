"""The LLM report end to end: a window counted in the real Redis, the real ``openai`` client,
a local chat-completions server, and the markdown written by the summarizer (and the CLI)."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import redis
import redis.asyncio as aioredis
from pydantic import SecretStr

from producers.synthetic import generate_day
from streams import metrics as m
from streams.ads import AdClassifier
from streams.enrich import Enricher, RecentIds
from streams.model import EnrichedTweet
from streams.settings import Settings
from streams.store import RedisStore
from streams.taxonomy import Tagger, load_taxonomy
from summarizer.service import Summarizer
from tests.fake_llm import Call, FakeLLM, Reply, error, good_model
from tweetpulse.demo import child_env

DAY = date(2025, 11, 7)
KEY = "sk-it-0a1b2c3d4e5f-SECRET"
CITATION = re.compile(r"\]\(https://x\.com/i/status/([0-9A-Za-z_-]+)\)")
FALLBACK_NOTE = "- 说明：LLM 生成失败，本报告为抽取式回退版本"  # in the closing block


def fill_window(settings: Settings, n: int = 3000) -> tuple[str, set[str], set[str]]:
    """Count a synthetic day in Redis; (window id, organic ids, ad ids)."""
    tweets, truth = generate_day(DAY, n, 11, settings.zone, settings.window_start_hour)
    enricher = Enricher(AdClassifier(), Tagger(load_taxonomy()), RecentIds())
    items, _ = enricher.enrich(tweets)

    async def apply(batch: list[EnrichedTweet]) -> None:
        client = aioredis.Redis.from_url(settings.redis_url)
        try:
            store = RedisStore(client, settings)
            for start in range(0, len(batch), 500):
                await store.apply(batch[start : start + 500])
        finally:
            await client.aclose()

    asyncio.run(apply(items))
    ads = {e.tweet.id for e in items if e.ad.is_ad}
    organic = {e.tweet.id for e in items if not e.ad.is_ad}
    return truth.window_id, organic, ads


def reports(mode: str) -> float:
    return m.REGISTRY.get_sample_value("tweetpulse_reports_total", {"mode": mode}) or 0.0


def test_summarize_writes_a_grounded_llm_report(settings: Settings, rdb: redis.Redis) -> None:
    window_id, organic, ads = fill_window(settings)
    assert ads, "the synthetic day has ads"
    taxonomy = load_taxonomy()
    shown: set[str] = set()

    def model(call: Call, index: int) -> Reply:
        shown.update(re.findall(r'<tweet id="([^"]+)"', call.user))
        return good_model(call, index)

    before = reports("llm")
    with FakeLLM(model) as fake:
        s = settings.model_copy(
            update={
                "openai_base_url": fake.url,
                "openai_api_key": SecretStr(KEY),
                "openai_max_retries": 0,
                "openai_timeout": 10.0,
            }
        )
        result = Summarizer(s, rdb, taxonomy).summarize(window_id)
    assert result.written and result.mode == "llm"
    assert reports("llm") - before == 1
    markdown = result.markdown.read_text("utf-8")
    assert "说明：" not in markdown  # no extractive/fallback note
    assert "模型撰写" in markdown  # the fake model's words made it into the post
    cited = set(CITATION.findall(markdown))
    assert cited, "key points carry citation links"
    assert cited <= shown <= organic
    assert not cited & ads
    assert not shown & ads  # ads never reach the prompt
    assert KEY not in markdown
    key_lines = markdown.split("### 核心信息（10个信息点概述）\n", 1)[1].split("\n\n", 1)[0]
    assert len(key_lines.splitlines()) == 10
    assert all(CITATION.search(line) for line in key_lines.splitlines())
    (call,) = fake.calls
    assert call.format_type == "json_schema"

    # the same window again, forced, with a broken server: still a report, marked fallback
    before = reports("fallback")
    with FakeLLM(lambda call, i: error(503, "overloaded")) as fake:
        s = s.model_copy(update={"openai_base_url": fake.url})
        again = Summarizer(s, rdb, taxonomy).summarize(window_id, force=True)
    assert again.written and again.mode == "fallback"
    assert reports("fallback") - before == 1
    text = again.markdown.read_text("utf-8")
    assert f"{FALLBACK_NOTE}，LLM 服务返回错误（HTTP 503）。" in text
    assert set(CITATION.findall(text)) <= organic


def test_cli_summarize_llm_and_extractive(settings: Settings, rdb: redis.Redis) -> None:
    window_id, organic, _ = fill_window(settings, 1500)
    with FakeLLM(good_model) as fake:
        env = child_env(settings)
        env["TWEETPULSE_OPENAI_BASE_URL"] = fake.url
        env["TWEETPULSE_OPENAI_API_KEY"] = KEY
        env["TWEETPULSE_OPENAI_MAX_RETRIES"] = "0"
        day = f"{DAY:%Y-%m-%d}"
        base = [sys.executable, "-m", "tweetpulse.cli", "summarize", "--window", day, "--force"]
        outputs = {}
        for flags in (("--extractive",), ("--llm", "--lang", "en")):
            done = subprocess.run(
                [*base, *flags], env=env, capture_output=True, text=True, timeout=120, check=False
            )
            assert done.returncode == 0, done.stderr
            assert KEY not in done.stdout + done.stderr
            outputs[" ".join(flags)] = Path(done.stdout.split()[0]).read_text("utf-8")
    assert len(fake.calls) == 1  # --extractive never calls the LLM
    assert "in English" in fake.calls[0].system
    assert "Note:" not in outputs["--llm --lang en"]  # LLM mode: no extractive/fallback note
    extractive_note = "- 说明：本报告为抽取式报告（未经 LLM 撰写），已按设置使用抽取式模式"
    assert extractive_note in outputs["--extractive"]
    assert "# Twitter AI Topic Summary Report" in outputs["--llm --lang en"]
    for text in outputs.values():
        assert set(CITATION.findall(text)) <= organic
    assert window_id == "20251107"
