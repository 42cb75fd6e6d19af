"""A seeded synthetic AI-Twitter day with exact ground truth (pure apart from the truth file).

``generate_day(day, n, seed, zone)`` returns the tweets in emission order and a
:class:`GroundTruth` of what a correct pipeline must count for that day window:

* ``n`` unique tweets, all inside the day window of ``streams.windows`` (id ``YYYYMMDD`` in
  ``zone``), spread by a diurnal rate curve (quiet local nights, busy days) plus 1–2 bursts of
  one topic (a chip launch, a model release ...);
* ~``ad_share`` ads from promo templates (some campaigns posted by many bot accounts), ~``zh_share``
  Chinese tweets, retweets ("RT @user: ...", referencing the retweeted id) of recent originals,
  quote tweets (``QUOTE_SHARE`` of organic originals, ~3.5% of all tweets; v2 ``quoted``: the
  quoter's own comment, usually ending in the t.co link of the quoted tweet, a popular recent
  original mostly on the comment's topic), replies, links, hashtags, cashtags, heavy-tailed
  engagement;
* mild disorder: emission order is event time jittered by ±2 minutes (never more than 5 minutes
  late), and ``duplicate_share`` producer retries repeat a tweet object later in the list;
* late tweets: ``late_share`` of the day's tweets (at least one from 1,000 tweets on; never a
  retried one) are held back and come last, after every other tweet of the day. A producer
  sends them after its closing watermark, once the window has closed, so the pipeline keeps and
  counts them and counts them as ``late`` too (:func:`split_late` cuts the list there;
  ``GroundTruth.late`` and the window's ``late_ids`` say which).

Organic tweets are written from phrases that each contain keywords of exactly one topic, glued by
filler that matches no taxonomy keyword and no promo phrase; every ad carries a strong promo
phrase. The ground truth is therefore known by construction, and the unit tests check that the
real :class:`~streams.taxonomy.Tagger` and :class:`~streams.ads.AdClassifier` agree with it. When
they do not, fix the vocabulary here, never the classifier. A quote tweet's topics are those of
its own comment (the tagger reads a tweet's own text; the quoted text is not part of it, as in
X API v2), a retweet's those of the text it spreads.

Everything is drawn from ``random.Random(seed)``, and which originals quote and which tweets are
late from a second stream seeded from ``seed`` too: the same (day, n, seed, zone, start hour,
shares) give the same tweets, in the same order, with the same ids — and the same counts as the
same seed gave before quotes and late tweets existed (truth version 1).
"""

from __future__ import annotations

import gc
import json
import random
import re
import string
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any, TypedDict, TypeVar, cast
from zoneinfo import ZoneInfo

from streams.model import Author, Metrics, Reference, Tweet
from streams.windows import hour_bucket, minute_bucket, window_by_id

TRUTH_VERSION = 2  # 2: late tweets (GroundTruth.late, window late / late_ids)
TWITTER_EPOCH_MS = 1_288_834_974_657  # snowflake ids count milliseconds from here
MAX_JITTER_MS = 120_000  # emission order = event time ± 2 minutes
MAX_RETRY_DELAY_MS = 50_000  # a duplicate is re-sent up to 50 s after the original
RETWEET_SHARE = 0.18
QUOTE_SHARE = 0.05  # of organic originals (not replies): ~3.5% of all tweets
QUOTE_ON_TOPIC = 0.7  # a quote picks a popular original sharing a topic with its comment
REPLY_SHARE = 0.08
NO_TOPIC_SHARE = 0.06
TWO_TOPIC_SHARE = 0.25
HARD_NEGATIVE_SHARE = 0.04
MAX_USERNAME = 15  # characters of an X username; retweets' "RT @name:" are parsed with it

# fmt: off
# Local-hour weights of the tweet rate (0h .. 23h in the window's zone).
HOURLY_RATE = (
    0.35, 0.25, 0.18, 0.14, 0.12, 0.14, 0.22, 0.38, 0.60, 0.80, 0.92, 1.00,
    0.95, 0.90, 0.92, 0.97, 1.00, 0.98, 0.95, 0.97, 1.00, 0.92, 0.75, 0.52,
)

# How often each topic is the subject of an organic tweet (taxonomy order: the truth's order).
TOPIC_WEIGHTS = {
    "apps_agents": 22, "rag_search": 7, "chips_inference": 12, "models_open_source": 18,
    "robotics_embodied": 7, "vision_multimodal": 8, "crypto_agent_payments": 5,
    "policy_regulation": 6, "markets": 6, "talent_devtools": 6, "safety_society": 5,
}
BURST_TOPICS = (
    "chips_inference", "models_open_source", "robotics_embodied", "vision_multimodal",
    "apps_agents",
)

# --- vocabulary: every phrase tags exactly its topic, filler tags nothing -------------------------

PHRASES_EN: dict[str, tuple[str, ...]] = {
    "apps_agents": (
        "the new apps inside ChatGPT", "an AI agent that books flights end to end",
        "agentic workflows replacing brittle scripts", "MCP servers for every internal dashboard",
        "Manus finishing a week-long task on its own", "computer use agents clicking through forms",
        "a browser agent filling out insurance paperwork",
        "Copilot showing up in every Office window",
        "chatbots handling support tickets overnight", "multi-agent setups built with LangGraph",
        "function calling that finally feels reliable", "Siri getting a real brain upgrade",
    ),
    "rag_search": (
        "RAG pipelines that cite their sources", "hybrid search with BM25 plus a reranker",
        "vector databases getting commoditized", "managed file search with zero setup",
        "embeddings that finally handle long PDFs", "Perplexity answering with live citations",
        "deep research reports that take ten minutes", "GraphRAG over messy company wikis",
        "semantic search across every meeting note", "retrieval quality beating prompt tricks",
        "a knowledge base that stays fresh", "long context versus retrieval, round five",
    ),
    "chips_inference": (
        "Nvidia's Blackwell ramp", "the new TPU generation aimed at inference",
        "H100 rental prices sliding", "Groq pushing tokens per second to absurd levels",
        "AMD MI355X shipping to clouds", "HBM supply staying tight",
        "gigawatt-scale data centers going up in Texas", "inference costs dropping every quarter",
        "CUDA moats getting tested", "TSMC packaging capacity", "Cerebras wafer-scale chips",
        "GPU clusters the size of small towns",
    ),
    "models_open_source": (
        "DeepSeek shipping another open-weight release", "Qwen3 topping the leaderboard",
        "Kimi K2 Thinking weights on Hugging Face", "Llama 4 fine-tuning recipes",
        "an open source release trained on a shoestring budget", "Claude Opus quietly improving",
        "GPT-5 versus Gemini 3 head to head", "Mistral releasing a small reasoning model",
        "distillation from frontier models", "scaling laws hitting a wall, or not",
        "LoRA adapters for niche domains", "Anthropic's latest system card",
    ),
    "robotics_embodied": (
        "humanoid robots folding laundry", "Unitree's new quadruped doing backflips",
        "UMI grippers collecting cheap manipulation data",
        "teleoperation rigs for whole-body control",
        "robotaxis expanding to more cities", "Waymo rides becoming boring in a good way",
        "Optimus walking around the factory floor", "dexterous hands finally picking up eggs",
        "sim2real transfer that actually works", "Figure AI's latest demo",
        "embodied AI labs raising the bar", "a robot arm that costs less than a laptop",
    ),
    "vision_multimodal": (
        "Sora 2 clips flooding the timeline", "Veo 3 adding native audio",
        "Nano Banana edits that look real", "multimodal assistants reading charts",
        "on-device vision running on a phone", "text-to-video getting cheaper",
        "Midjourney's new style controls", "OCR on handwritten notes",
        "voice mode conversations that feel natural", "world models generating playable scenes",
        "image generation with perfect text rendering", "a VLM that understands diagrams",
    ),
    "crypto_agent_payments": (
        "agent payments settling in USDC", "x402 letting software pay per request",
        "Bitcoin ripping past another high", "onchain identity for bots",
        "Ethereum fees near zero", "Coinbase pushing agentic payments",
        "crypto wallets for autonomous software", "Solana memecoin season again",
        "a DeFi protocol run by a DAO", "Bittensor subnet rewards",
        "stablecoins as the settlement layer for machines", "Binance listing yet another coin",
    ),
    "policy_regulation": (
        "the EU AI Act timeline", "new export controls on advanced hardware",
        "a federal bailout debate", "the government backstop idea",
        "copyright lawsuits piling up", "the White House AI action plan",
        "Congress arguing about preemption", "state-level regulation fights",
        "antitrust scrutiny on big labs", "GDPR complaints against assistants",
        "tariffs on imported servers", "a senator grilling lab executives",
    ),
    "markets": (
        "$NVDA closing at a record", "AI capex numbers in the earnings call",
        "the AI bubble debate on Wall Street", "$MSFT and $GOOGL after hours",
        "valuations that assume perfection", "a Series B at a wild valuation",
        "Nasdaq futures swinging on one headline", "SoftBank doubling down",
        "investors rotating out of megacaps", "an IPO window reopening",
        "stock buybacks funded by cloud revenue", "$TSLA swinging on delivery numbers",
    ),
    "talent_devtools": (
        "Cursor's new tab completion", "vibe coding a weekend project",
        "Claude Code rewriting a legacy service", "a hackathon with free pizza",
        "PyTorch compile speedups", "hiring senior engineers who can ship",
        "talent wars and nine-figure pay packages", "an SDK that takes five lines to integrate",
        "GitHub repos trending all week", "Replit shipping deploys in one click",
        "prompt engineering turning into plain engineering", "low-code tools for internal teams",
    ),
    "safety_society": (
        "jailbreaks spreading on forums", "deepfake scams targeting grandparents",
        "hallucinations in legal filings", "AI safety researchers resigning",
        "students cheating with homework helpers", "prompt injection in email assistants",
        "job displacement fears in call centers", "privacy worries about memory features",
        "alignment work getting more attention", "misinformation during the election",
        "mental health concerns around companion apps", "red teaming results published in full",
    ),
}

PHRASES_ZH: dict[str, tuple[str, ...]] = {
    "apps_agents": (
        "智能体自动处理报销", "多智能体协作框架", "AI助手接管日程", "豆包上线新功能",
        "聊天机器人走进客服中心", "工作流编排工具", "文心一言的新插件", "AI应用的留存",
    ),
    "rag_search": (
        "检索增强生成落地企业", "向量数据库选型", "知识库问答", "托管型文件搜索",
        "长上下文与检索之争", "AI搜索产品", "深度研究功能", "语义搜索体验",
    ),
    "chips_inference": (
        "英伟达新一代芯片", "推理算力紧张", "第七代TPU", "昇腾出货量", "台积电先进封装",
        "数据中心电力瓶颈", "推理成本持续下降", "显卡价格回落",
    ),
    "models_open_source": (
        "开源大模型再次刷榜", "Kimi K2 开放权重", "通义千问新版本", "深度求索发布新版本",
        "蒸馏小参数版本", "预训练数据配比", "智谱发布基座模型", "月之暗面低成本训练",
    ),
    "robotics_embodied": (
        "人形机器人量产", "宇树机器人翻跟头", "具身智能数据采集", "灵巧手抓取鸡蛋",
        "自动驾驶出租车", "机械臂遥操作", "智元发布新品", "无人机配送",
    ),
    "vision_multimodal": (
        "多模态助手看懂图表", "视频生成效果惊人", "文生图细节逼真", "可灵新版本",
        "端侧视觉能力", "语音对话更自然", "世界模型生成可玩场景", "图像理解能力",
    ),
    "crypto_agent_payments": (
        "稳定币支付通道", "代理支付协议", "比特币再创新高", "链上身份", "以太坊手续费下降",
        "区块链结算", "智能体支付试点", "币圈情绪回暖",
    ),
    "policy_regulation": (
        "出口管制升级", "政府兜底之争", "监管细则出台", "版权诉讼增多", "反垄断调查",
        "关税影响服务器进口", "合规成本上升", "地缘局势变化",
    ),
    "markets": (
        "科技股估值偏高", "美股AI板块回调", "财报季来临", "融资额创纪录", "港股科技股上涨",
        "资本开支指引上调", "概念股集体异动", "市值突破新高",
    ),
    "talent_devtools": (
        "开发者大会", "氛围编程走红", "程序员用AI写代码", "招聘资深工程师", "低代码平台",
        "人才争夺战", "桌面原型工具", "编程助手普及",
    ),
    "safety_society": (
        "深度伪造诈骗", "大规模幻觉问题", "AI安全研究", "隐私泄露风险", "失业焦虑",
        "学生作弊", "伦理讨论升温", "虚假信息泛滥",
    ),
}

FRAMES_EN_ONE = (
    "{a} is the most interesting thing I read today.",
    "Spent the afternoon digging into {a}. Mixed feelings so far.",
    "Everyone is talking about {a}, and honestly I get why.",
    "Not sure people appreciate how big {a} is.",
    "Hot take: {a} matters more than the hype suggests.",
    "Quick notes on {a}: faster than expected, rough edges remain.",
    "{a}. That's the tweet.",
    "Watching {a} closely this week.",
    "Can someone explain {a} to me like I'm five?",
    "Underrated story of the day: {a}.",
)
FRAMES_EN_TWO = (
    "{a}, and at the same time {b}. Busy week.",
    "Two things on my mind: {a}; also {b}.",
    "Connecting the dots: {a} → {b}.",
    "{a}. Meanwhile, {b}.",
    "Morning reading: {a}, plus {b}.",
)
CHATTER_EN = (
    "Long day, but the demo finally worked.",
    "Everyone has an opinion today and I am tired.",
    "Reading the replies was a mistake.",
    "Honestly the pace this year is exhausting.",
    "Saving this thread for later.",
    "Coffee first, hot takes later.",
)
FRAMES_ZH_ONE = (
    "今天最值得关注的是「{a}」。",
    "刚看完关于「{a}」的讨论，信息量很大。",
    "「{a}」，这件事的影响可能被低估了。",
    "说实话，「{a}」比预期来得更快。",
    "大家怎么看「{a}」？",
)
FRAMES_ZH_TWO = (
    "「{a}」；另外，「{b}」。",
    "一边是「{a}」，一边是「{b}」，节奏太快了。",
    "今天两条消息：「{a}」和「{b}」。",
)
CHATTER_ZH = ("今天的信息量太大了。", "这周太忙了，晚点再看。", "周末愉快，下周见。")

# Organic tweets that look a little promotional but are not ads (the classifier's hard
# negatives): (text, lang, topics). At most one weak promo phrase, no other signal.
HARD_NEGATIVES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("We're releasing Gemini 3 today, try it at https://t.co/7gm3Rx0aQe", "en",
     ("models_open_source",)),
    ("DM me if you want to collaborate on RAG evals.", "en", ("rag_search",)),
    ("Nvidia cuts H100 prices by 20% for cloud partners.", "en", ("chips_inference",)),
    ("Nvidia is offering a discount on H100 systems to cloud partners.", "en",
     ("chips_inference",)),
    ("Inference just got 100x cheaper on the new TPU.", "en", ("chips_inference",)),
    ("Our agent framework is open source now, free trial of the hosted version inside.", "en",
     ("apps_agents", "models_open_source")),
    ("欢迎私信交流智能体评测。", "zh", ("apps_agents",)),
    ("英伟达限时降价，云厂商受益。", "zh", ("chips_inference",)),
    ("推广AI应用落地仍需时间。", "zh", ("apps_agents",)),
)

HASHTAGS = {
    "apps_agents": ("agents", "ChatGPT"), "rag_search": ("RAG",),
    "chips_inference": ("GPU", "Nvidia"), "models_open_source": ("LLM", "DeepSeek"),
    "robotics_embodied": ("robotics", "humanoid"), "vision_multimodal": ("multimodal", "Sora"),
    "crypto_agent_payments": ("crypto", "Bitcoin"), "policy_regulation": ("regulation",),
    "markets": ("stocks", "earnings"), "talent_devtools": ("coding", "hiring"),
    "safety_society": ("privacy", "deepfakes"),
}
NEUTRAL_HASHTAGS = ("AI", "GenAI", "tech", "MachineLearning", "AINews")

# Every ad has at least one strong promo phrase ("presale", "加微信" ...). Fields: {ticker}
# {t2} {t3} cashtag symbols, {code} promo code, {link} shortened link, {wx} WeChat id,
# {tg} Telegram handle, {pct} a percentage, {m1}..{m5} mentions.
ADS_EN = (
    "🚀 ${ticker} presale is LIVE! 100x potential, AI agent narrative. Claim your allocation "
    "now 👉 {link} #crypto #airdrop #AI #100x #gem",
    "GIVEAWAY 🎁 3x ChatGPT Plus accounts! Follow, RT and tag 3 friends to enter. {link}",
    "Use code {code} for {pct}% off our Prompt Mastery course. Limited time offer! {link}",
    "DM me for promo. I grow AI startup accounts fast, real followers only. Link in bio.",
    "Free mint is open for the first 500 wallets ⏳ {link} ${ticker} ${t2} ${t3}",
    "Passive income with AI trading bots 🤖 guaranteed returns every week. Join our telegram: "
    "t.me/{tg}",
    "Airdrop alert 🪂 connect your wallet and claim your tokens before midnight {link} "
    "@{m1} @{m2} @{m3} @{m4} @{m5}",
)
ADS_ZH = (
    "AI绘图会员限时优惠券，五折开通，扫码领取 {link}",
    "诚招代理！AI写作副业，日赚500+，加微信 {wx} 了解",
    "免费领取ChatGPT中文教程，私信领取，名额有限",
    "AI课程返利活动进行中，加V：{wx}，兼职宝妈学生均可",
    "${ticker} 空投进行中，稳赚不赔，进群免费领取 {link}",
)
AD_LINK_HOSTS = ("bit.ly", "tinyurl.com", "cutt.ly", "t.co")
AD_SOURCES = ("IFTTT", "Buffer", "dlvr.it", "Hootsuite Inc.", "Twitter Web App", "Twitter Web App")
ORGANIC_SOURCES = (
    ("Twitter Web App", 45), ("Twitter for iPhone", 30), ("Twitter for Android", 17),
    ("TweetDeck Web App", 5), ("Buffer", 3),
)
FIRST_PARTY_SOURCES = ("Twitter Web App", "Twitter for iPhone", "Twitter for Android")

FIRST_NAMES = (
    "lena", "marco", "priya", "tomas", "aiko", "noah", "sofia", "ravi", "mei", "jonas", "amara",
    "diego", "hana", "felix", "zara", "ivan", "lucia", "omar", "nina", "kenji", "ada", "leo",
    "maya", "theo", "yuna", "sami", "iris", "hugo", "wen", "elsa",
)
LAST_NAMES = (
    "kovacs", "rossi", "shah", "novak", "tanaka", "berg", "costa", "iyer", "lin", "weber",
    "okafor", "reyes", "sato", "klein", "haddad", "petrov", "moreno", "nasser", "holm", "mori",
    "lovelace", "park", "zhou", "dubois", "silva", "meyer", "fischer", "ito", "quinn", "varga",
)
BOT_WORDS = (
    "golden", "yield", "moon", "lucky", "alpha", "rich", "daily", "promo", "deal", "fast",
    "winner", "profit", "vip", "mega", "bonus",
)
TICKERS = ("ZEN", "MOON", "PEPEAI", "GPTX", "NOVA", "BOLTX", "APEAI")
# fmt: on

_CASHTAG = re.compile(r"\$([A-Z]{2,6})\b")
_MENTION = re.compile(r"@(\w{1,15})")
_HASHTAG = re.compile(r"#(\w+)")
_ALNUM = string.ascii_letters + string.digits
T = TypeVar("T")


# --- ground truth -----------------------------------------------------------------------------


class BurstTruth(TypedDict):
    topic: str
    start: str  # ISO 8601, UTC
    end: str


class WindowTruth(TypedDict):
    """What a correct pipeline counts for one window (over unique tweet ids)."""

    total: int  # unique tweets, organic + ads
    ads: int  # unique ad tweets
    topics: dict[str, int]  # topic -> organic tweets tagged with it (ads never; only topics > 0)
    minutes: dict[str, dict[str, int]]  # topic -> {str(streams.windows.minute_bucket): tweets}
    hours: dict[str, int]  # str(streams.windows.hour_bucket) -> unique tweets (organic + ads)
    ad_ids: list[str]  # sorted
    unique_authors: int
    bursts: list[BurstTruth]
    late: int  # tweets sent after the window's close (counted in total & co. and as late)
    late_ids: list[str]  # sorted


@dataclass(frozen=True)
class GroundTruth:
    """The exact counts of a synthetic day; JSON via :func:`write_ground_truth`."""

    seed: int
    n_tweets: int  # unique tweets
    window_id: str
    timezone: str
    start_hour: int
    duplicates: int  # extra emissions of an already emitted tweet (producer retries)
    late: int  # the last ``late`` tweets of the emission order come after the day's close
    windows: dict[str, WindowTruth]  # window id -> its truth (one window for one day)

    @property
    def window(self) -> WindowTruth:
        """The truth of the day's window."""
        return self.windows[self.window_id]

    @property
    def bursts(self) -> list[BurstTruth]:
        return self.window["bursts"]

    @property
    def late_ids(self) -> list[str]:
        """Ids of the tweets sent after the close (sorted)."""
        return self.window["late_ids"]


def split_late(tweets: Sequence[Tweet], truth: GroundTruth) -> tuple[list[Tweet], list[Tweet]]:
    """Cut a day's emission order at its close: (tweets to send before the closing watermark,
    tweets to send after the window has closed)."""
    cut = len(tweets) - truth.late
    return list(tweets[:cut]), list(tweets[cut:])


def write_ground_truth(truth: GroundTruth, path: Path) -> None:
    """Write ``truth`` as JSON (UTF-8, keys in a stable order); a temp file + rename."""
    doc = {
        "version": TRUTH_VERSION,
        "seed": truth.seed,
        "n_tweets": truth.n_tweets,
        "window_id": truth.window_id,
        "timezone": truth.timezone,
        "start_hour": truth.start_hour,
        "duplicates": truth.duplicates,
        "late": truth.late,
        "windows": truth.windows,
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def read_ground_truth(path: Path) -> GroundTruth:
    """Read a file written by :func:`write_ground_truth`; ValueError when it is not one."""
    doc: Any = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or doc.get("version") != TRUTH_VERSION:
        msg = f"{path} is not a version-{TRUTH_VERSION} ground-truth file"
        raise ValueError(msg)
    try:
        return GroundTruth(
            seed=int(doc["seed"]),
            n_tweets=int(doc["n_tweets"]),
            window_id=str(doc["window_id"]),
            timezone=str(doc["timezone"]),
            start_hour=int(doc["start_hour"]),
            duplicates=int(doc["duplicates"]),
            late=int(doc["late"]),
            windows=cast(dict[str, WindowTruth], doc["windows"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"{path} is not a ground-truth file: {exc!r}"
        raise ValueError(msg) from None


# --- the generator ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Burst:
    topic: str
    start_ms: int  # offset from the window start
    end_ms: int
    count: int


@dataclass(slots=True)
class _Made:
    tweet: Tweet
    topics: tuple[str, ...]
    is_ad: bool


class _Authors:
    """Organic accounts (Zipf-like activity, realistic metrics) and bot accounts for ads."""

    def __init__(self, rng: random.Random, n_tweets: int, day_start: datetime) -> None:
        self._rng = rng
        self._day_start = day_start
        taken: set[str] = set()
        n_organic = max(20, min(30_000, n_tweets // 5))
        self.organic = [self._organic(self._name(taken, organic=True)) for _ in range(n_organic)]
        self._organic_cum = list(accumulate(1.0 / (rank + 5) for rank in range(n_organic)))
        n_bots = max(5, min(5_000, n_tweets // 40))
        self.bots = [self._bot(self._name(taken, organic=False)) for _ in range(n_bots)]

    def _name(self, taken: set[str], *, organic: bool) -> tuple[str, str]:
        rng = self._rng
        while True:
            if organic:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                digits = str(rng.randint(1, 9999))
                username = f"{first}{last}"[: MAX_USERNAME - len(digits)] + digits
                name = f"{first.title()} {last.title()}"
            else:
                words = rng.sample(BOT_WORDS, 2)
                digits = str(rng.randint(10, 99999))
                username = f"{words[0]}{words[1]}"[: MAX_USERNAME - len(digits)] + digits
                name = f"{words[0].title()} {words[1].title()}"
            if username not in taken:
                taken.add(username)
                return username, name

    def _account_created(self, min_days: int, max_days: int) -> tuple[datetime, float]:
        age_days = self._rng.uniform(min_days, max_days)
        return self._day_start - timedelta(days=age_days), age_days

    def _organic(self, names: tuple[str, str]) -> Author:
        rng = self._rng
        username, name = names
        followers = int(rng.lognormvariate(6.0, 1.9))
        if rng.random() < 0.01:
            followers = rng.randint(100_000, 3_000_000)
        # never looks like a thin account: following <= 20 x followers
        following = min(int(rng.lognormvariate(5.8, 1.1)), 20 * max(followers, 1))
        created, age_days = self._account_created(60, 6000)
        tweet_count = int(min(rng.lognormvariate(7.5, 1.5), 90 * age_days))
        return Author(
            id=str(rng.randint(10**15, 10**19 - 1)),
            username=username,
            name=name,
            verified=followers > 100_000 or rng.random() < 0.02,
            created_at=created,
            followers_count=followers,
            following_count=following,
            tweet_count=tweet_count,
        )

    def _bot(self, names: tuple[str, str]) -> Author:
        rng = self._rng
        username, name = names
        created, age_days = self._account_created(3, 400)
        if rng.random() < 0.8:  # thin: few followers, follows thousands
            followers = rng.randint(0, 40)
            following = rng.randint(900, 5000)
        else:
            followers = rng.randint(200, 20_000)
            following = rng.randint(100, 3000)
        return Author(
            id=str(rng.randint(10**15, 10**19 - 1)),
            username=username,
            name=name,
            verified=False,
            created_at=created,
            followers_count=followers,
            following_count=following,
            tweet_count=int(rng.uniform(5, 400) * age_days),
        )

    def pick_organic(self) -> Author:
        return _weighted(self._rng, self.organic, self._organic_cum)

    def pick_bot(self) -> Author:
        return self._rng.choice(self.bots)


class _DayWriter:
    """Writes the tweets of one day in event-time order and keeps what they are."""

    def __init__(self, rng: random.Random, authors: _Authors, zh_share: float, seed: int) -> None:
        self.rng = rng
        self.authors = authors
        self.zh_share = zh_share
        self._worker_bits = (seed & 0x3FF) << 12
        self._last_id = 0
        self._topic_ids = list(TOPIC_WEIGHTS)
        self._topic_cum = list(accumulate(TOPIC_WEIGHTS.values()))
        self._source_names = [s for s, _ in ORGANIC_SOURCES]
        self._source_cum = list(accumulate(w for _, w in ORGANIC_SOURCES))
        self._hard_negatives = {
            lang: [(text, topics) for text, lang_, topics in HARD_NEGATIVES if lang_ == lang]
            for lang in ("en", "zh")
        }
        self._originals: list[_Made] = []  # recent organic originals: retweeted and quoted
        # Quotes (and late tweets) draw from their own stream, so a seed's day is the day it
        # was before they existed: same tweets, topics and counts; some originals now quote.
        self.extra = random.Random(f"tweetpulse.synthetic.extra/{seed}")
        self._ads: list[_Made] = []
        self._campaigns: list[tuple[str, str]] = []  # (text, lang) posted by many bots

    # -- ids, metrics ---------------------------------------------------------------------------
    def next_id(self, epoch_ms: int) -> str:
        snowflake = (max(epoch_ms - TWITTER_EPOCH_MS, 0) << 22) | self._worker_bits
        self._last_id = max(snowflake, self._last_id + 1)
        return str(self._last_id)

    def _metrics(self, author: Author) -> Metrics:
        """Heavy-tailed engagement that grows with the author's reach."""
        r = self.rng.random
        reach = (author.followers_count or 0) ** 0.5
        likes = int(reach * 0.2 * (self.rng.paretovariate(1.5) - 0.8))
        if r() < 0.004:  # the few tweets everyone saw
            likes = likes * 50 + 1000 + int(r() * 20_000)
        return Metrics(
            like_count=likes,
            retweet_count=int(likes * (0.05 + 0.25 * r())),
            reply_count=int(likes * (0.02 + 0.08 * r())),
            quote_count=int(likes * 0.03 * r()),
            impression_count=int(likes * (30 + 90 * r()) + reach * (5 + 35 * r())),
        )

    def _link(self, host: str = "t.co", rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        code = rng.choice(string.digits) + "".join(rng.choices(_ALNUM, k=9))
        return f"https://{host}/{code}"

    # -- organic --------------------------------------------------------------------------------
    def _topic(self, exclude: str | None = None) -> str:
        while True:
            topic = _weighted(self.rng, self._topic_ids, self._topic_cum)
            if topic != exclude:
                return topic

    def organic(self, created: datetime, epoch_ms: int, burst_topic: str | None) -> _Made:
        rng = self.rng
        if burst_topic is None and self._originals and rng.random() < RETWEET_SHARE:
            return self._retweet(rng.choice(self._originals), created, epoch_ms, is_ad=False)
        author = self.authors.pick_organic()
        source = _weighted(rng, self._source_names, self._source_cum)
        urls: tuple[str, ...] = ()
        hashtags: tuple[str, ...] = ()
        lang = "zh" if rng.random() < self.zh_share else "en"
        hard_negative = burst_topic is None and rng.random() < HARD_NEGATIVE_SHARE
        if hard_negative:
            text, topics = rng.choice(self._hard_negatives[lang])
            source = rng.choice(FIRST_PARTY_SOURCES)
            urls = tuple(_URLS.findall(text))
        else:
            topics = self._pick_topics(burst_topic)
            text = self._write(lang, topics)
            if rng.random() < 0.3 and topics:
                tags = [rng.choice(HASHTAGS[t]) for t in topics]
                tags += rng.sample(NEUTRAL_HASHTAGS, rng.randint(0, 2))
                hashtags = tuple(dict.fromkeys(tags))
                text += " " + " ".join(f"#{t}" for t in hashtags)
            if rng.random() < 0.25:
                urls = tuple(self._link() for _ in range(2 if rng.random() < 0.08 else 1))
                text += " " + " ".join(urls)
        references: tuple[Reference, ...] = ()
        mentions: tuple[str, ...] = ()
        if self._originals and rng.random() < REPLY_SHARE:
            parent = rng.choice(self._originals).tweet
            mentions = (parent.author.username or "",)
            text = f"@{mentions[0]} {text}"
            references = (Reference(type="replied_to", id=parent.id),)
        elif not hard_negative and self._originals and self.extra.random() < QUOTE_SHARE:
            # (a hard negative stays as written: one weak promo cue and nothing else)
            quoted = self._popular(topics)
            references = (Reference(type="quoted", id=quoted.id),)
            if not urls:  # v2: the text ends with a t.co link whose expanded url is the quoted
                text += " " + self._link(rng=self.extra)
                urls = (f"https://twitter.com/{quoted.author.username}/status/{quoted.id}",)
        tweet = Tweet(
            id=self.next_id(epoch_ms),
            text=text,
            created_at=created,
            lang=lang,
            author=author,
            source=source,
            metrics=self._metrics(author),
            hashtags=hashtags,
            cashtags=tuple(_CASHTAG.findall(text)) if "$" in text else (),
            mentions=mentions,
            urls=urls,
            references=references,
        )
        made = _Made(tweet, topics, is_ad=False)
        self._originals.append(made)
        if len(self._originals) > 300:
            del self._originals[:100]
        return made

    def _pick_topics(self, burst_topic: str | None) -> tuple[str, ...]:
        rng = self.rng
        roll = rng.random()
        if burst_topic is not None:
            first = burst_topic
        elif roll < NO_TOPIC_SHARE:
            return ()
        else:
            first = self._topic()
        if rng.random() < TWO_TOPIC_SHARE:
            second = self._topic(exclude=first)
            return tuple(t for t in self._topic_ids if t in (first, second))
        return (first,)

    def _write(self, lang: str, topics: tuple[str, ...]) -> str:
        rng = self.rng
        bank = PHRASES_ZH if lang == "zh" else PHRASES_EN
        if not topics:
            return rng.choice(CHATTER_ZH if lang == "zh" else CHATTER_EN)
        phrases = [rng.choice(bank[t]) for t in topics]
        if len(phrases) == 2 and rng.random() < 0.5:
            phrases.reverse()
        if len(phrases) == 1:
            frame = rng.choice(FRAMES_ZH_ONE if lang == "zh" else FRAMES_EN_ONE)
            text = frame.format(a=phrases[0])
        else:
            frame = rng.choice(FRAMES_ZH_TWO if lang == "zh" else FRAMES_EN_TWO)
            text = frame.format(a=phrases[0], b=phrases[1])
        return text[:1].upper() + text[1:]

    def _retweet(self, original: _Made, created: datetime, epoch_ms: int, *, is_ad: bool) -> _Made:
        rng = self.rng
        source_tweet = original.tweet
        author = self.authors.pick_bot() if is_ad else self.authors.pick_organic()
        handle = source_tweet.author.username or "someone"
        tweet = Tweet(
            id=self.next_id(epoch_ms),
            text=f"RT @{handle}: {source_tweet.text}",
            created_at=created,
            lang=source_tweet.lang,
            author=author,
            source=rng.choice(AD_SOURCES) if is_ad else rng.choice(FIRST_PARTY_SOURCES),
            metrics=Metrics(retweet_count=source_tweet.metrics.retweet_count),
            hashtags=source_tweet.hashtags,
            cashtags=source_tweet.cashtags,
            mentions=(handle, *source_tweet.mentions),
            urls=source_tweet.urls,
            references=(Reference(type="retweeted", id=source_tweet.id),),
        )
        return _Made(tweet, original.topics, is_ad)

    def _popular(self, topics: tuple[str, ...]) -> Tweet:
        """The tweet a quote quotes: a recent original, mostly one on a topic of the comment,
        the more engaging of two random candidates (the extra stream: see ``extra``)."""
        extra, pool = self.extra, self._originals
        on_topic = bool(topics) and extra.random() < QUOTE_ON_TOPIC
        best: Tweet | None = None
        for _ in range(2):
            pick = extra.choice(pool)
            for _ in range(20 if on_topic else 0):  # a few tries: no scan of the whole pool
                if any(t in pick.topics for t in topics):
                    break
                pick = extra.choice(pool)
            if best is None or pick.tweet.metrics.engagement > best.metrics.engagement:
                best = pick.tweet
        assert best is not None
        return best

    # -- ads ------------------------------------------------------------------------------------
    def ad(self, created: datetime, epoch_ms: int) -> _Made:
        rng = self.rng
        if self._ads and rng.random() < 0.15:
            return self._retweet(rng.choice(self._ads), created, epoch_ms, is_ad=True)
        if self._campaigns and rng.random() < 0.6:
            # a few campaigns are posted again and again by many bot accounts
            text, lang = self._campaigns[min(int(rng.expovariate(0.5)), len(self._campaigns) - 1)]
        else:
            text, lang = self._ad_text()
            if len(self._campaigns) < 12:
                self._campaigns.append((text, lang))
        author = self.authors.pick_bot()
        tweet = Tweet(
            id=self.next_id(epoch_ms),
            text=text,
            created_at=created,
            lang=lang,
            author=author,
            source=rng.choice(AD_SOURCES),
            metrics=Metrics(like_count=rng.randint(0, 5), impression_count=rng.randint(0, 300)),
            hashtags=tuple(_HASHTAG.findall(text)),
            cashtags=tuple(_CASHTAG.findall(text)),
            mentions=tuple(_MENTION.findall(text)),
            urls=tuple(_URLS.findall(text)),
        )
        made = _Made(tweet, (), is_ad=True)
        self._ads.append(made)
        return made

    def _ad_text(self) -> tuple[str, str]:
        rng = self.rng
        zh = rng.random() < self.zh_share
        template = rng.choice(ADS_ZH if zh else ADS_EN)
        tickers = rng.sample(TICKERS, 3)
        bots = [b.username for b in rng.sample(self.authors.bots, min(5, len(self.authors.bots)))]
        bots += ["promo"] * (5 - len(bots))
        text = template.format(
            ticker=tickers[0],
            t2=tickers[1],
            t3=tickers[2],
            code="".join(rng.choices(string.ascii_uppercase, k=6)),
            link=self._link(rng.choice(AD_LINK_HOSTS)),
            wx=f"wx{rng.randint(10_000, 99_999_999)}",
            tg=f"{rng.choice(BOT_WORDS)}{rng.randint(10, 999)}",
            pct=rng.choice((30, 50, 70, 90)),
            m1=bots[0],
            m2=bots[1],
            m3=bots[2],
            m4=bots[3],
            m5=bots[4],
        )
        return text, "zh" if zh else "en"


_URLS = re.compile(r"https?://\S+")


def _weighted(rng: random.Random, items: Sequence[T], cum_weights: Sequence[float]) -> T:
    """One item drawn by cumulative weights (``random.choices`` without its per-call overhead)."""
    return items[bisect_right(cum_weights, rng.random() * cum_weights[-1], 0, len(items) - 1)]


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building a day of small acyclic objects: with it on, repeated
    full collections over the growing heap more than double the time for 100k tweets."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_args(n_tweets: int, start_hour: int, shares: dict[str, float]) -> None:
    if n_tweets < 0:
        msg = f"n_tweets must be >= 0; got {n_tweets}"
        raise ValueError(msg)
    if not 0 <= start_hour <= 23:
        msg = f"start_hour must be 0..23; got {start_hour}"
        raise ValueError(msg)
    for name, share in shares.items():
        if not 0.0 <= share <= 1.0:
            msg = f"{name} must be within [0, 1]; got {share}"
            raise ValueError(msg)


def _diurnal_offsets(
    rng: random.Random, start: datetime, span_ms: int, zone: ZoneInfo, count: int
) -> list[int]:
    """``count`` millisecond offsets in [0, span) drawn from the local-hour rate curve."""
    minutes = span_ms // 60_000
    weights = [
        HOURLY_RATE[(start + timedelta(minutes=m)).astimezone(zone).hour] for m in range(minutes)
    ]
    picked = rng.choices(range(minutes), cum_weights=list(accumulate(weights)), k=count)
    return [m * 60_000 + int(rng.random() * 60_000) for m in picked]


def _plan_bursts(rng: random.Random, span_ms: int, n_organic: int) -> list[_Burst]:
    """1–2 bursts of one topic each, 20–45 minutes long, in the busy part of the day."""
    if n_organic < 20:
        return []
    bursts = []
    for topic in rng.sample(BURST_TOPICS, rng.randint(1, 2)):
        duration = rng.randint(20, 45) * 60_000
        start = rng.randint(int(span_ms * 0.40), int(span_ms * 0.85) - duration) // 60_000 * 60_000
        count = max(1, round(n_organic * rng.uniform(0.03, 0.05)))
        bursts.append(_Burst(topic, start, start + duration, count))
    return bursts


def generate_day(
    day: date,
    n_tweets: int,
    seed: int,
    zone: ZoneInfo,
    start_hour: int = 0,
    *,
    ad_share: float = 0.10,
    zh_share: float = 0.15,
    duplicate_share: float = 0.02,
    late_share: float = 0.002,
) -> tuple[list[Tweet], GroundTruth]:
    """The tweets of a synthetic day in emission order, and their exact ground truth.

    The last ``truth.late`` tweets are the late ones (:func:`split_late`): send them after the
    closing watermark, once the window has closed. Sent all in a row, before the watermark, they
    are simply on time; the counts of the truth hold either way (late tweets are kept).
    """
    _check_args(
        n_tweets,
        start_hour,
        {
            "ad_share": ad_share,
            "zh_share": zh_share,
            "duplicate_share": duplicate_share,
            "late_share": late_share,
        },
    )
    n_late = round(n_tweets * late_share)
    if late_share > 0 and n_tweets >= 1000:
        n_late = max(n_late, 1)
    with _cyclic_gc_paused():
        return _build_day(
            day, n_tweets, seed, zone, start_hour, ad_share, zh_share, duplicate_share, n_late
        )


def _build_day(
    day: date,
    n_tweets: int,
    seed: int,
    zone: ZoneInfo,
    start_hour: int,
    ad_share: float,
    zh_share: float,
    duplicate_share: float,
    n_late: int,
) -> tuple[list[Tweet], GroundTruth]:
    rng = random.Random(seed)
    window = window_by_id(f"{day:%Y%m%d}", zone, start_hour)
    start = window.start.astimezone(UTC)
    start_ms = int(start.timestamp()) * 1000
    # in UTC: subtracting two datetimes of the same zone ignores a DST change between them
    span_ms = int((window.end.astimezone(UTC) - start).total_seconds()) * 1000

    n_ads = round(n_tweets * ad_share)
    bursts = _plan_bursts(rng, span_ms, n_tweets - n_ads)
    n_regular = n_tweets - sum(b.count for b in bursts)
    ad_slots = set(rng.sample(range(n_regular), n_ads))
    # (offset ms, slot number, kind): kind "" organic, "ad", or a burst topic
    slots = [
        (offset, i, "ad" if i in ad_slots else "")
        for i, offset in enumerate(_diurnal_offsets(rng, start, span_ms, zone, n_regular))
    ]
    for burst in bursts:
        for _ in range(burst.count):
            slots.append((rng.randrange(burst.start_ms, burst.end_ms), len(slots), burst.topic))
    slots.sort()

    writer = _DayWriter(rng, _Authors(rng, n_tweets, start), zh_share, seed)
    made: list[_Made] = []
    for offset, _, kind in slots:
        created = start + timedelta(milliseconds=offset)
        epoch_ms = start_ms + offset
        if kind == "ad":
            made.append(writer.ad(created, epoch_ms))
        else:
            made.append(writer.organic(created, epoch_ms, kind or None))

    # emission order: event time jittered by ±2 min; retries re-send a tweet up to 50 s later;
    # the late tweets (never retried; chosen from the extra stream) come last, by event time
    jitter = rng.random
    emitted = [
        (offset + int((2 * jitter() - 1) * MAX_JITTER_MS), i)
        for i, (offset, _, _) in enumerate(slots)
    ]
    n_dup = round(n_tweets * duplicate_share)
    retried = rng.sample(range(n_tweets), min(n_dup, n_tweets))
    for i in retried:
        emitted.append((emitted[i][0] + rng.randint(1_000, MAX_RETRY_DELAY_MS), n_tweets + i))
    late = _pick_late(writer.extra, n_tweets, n_late, set(retried))
    if late:
        late_set = set(late)
        emitted = [e for e in emitted if e[1] not in late_set]
    emitted.sort()
    tweets = [made[i % n_tweets].tweet for _, i in emitted] if n_tweets else []
    tweets += [made[i].tweet for i in late]

    truth = GroundTruth(
        seed=seed,
        n_tweets=n_tweets,
        window_id=window.id,
        timezone=zone.key,
        start_hour=start_hour,
        duplicates=len(tweets) - n_tweets,
        late=len(late),
        windows={window.id: _window_truth(made, bursts, start, [made[i] for i in late])},
    )
    return tweets, truth


def _pick_late(extra: random.Random, n_tweets: int, n_late: int, retried: set[int]) -> list[int]:
    """``n_late`` tweets (never retried ones) that come after the close, in event-time order."""
    n_late = min(n_late, n_tweets - len(retried))
    if n_late > n_tweets // 10:  # a large share: draw from the candidates themselves
        return sorted(extra.sample([i for i in range(n_tweets) if i not in retried], n_late))
    late: set[int] = set()
    while len(late) < n_late:
        i = extra.randrange(n_tweets)
        if i not in retried:
            late.add(i)
    return sorted(late)


def _window_truth(
    made: list[_Made], bursts: list[_Burst], start: datetime, late: list[_Made]
) -> WindowTruth:
    topics: Counter[str] = Counter()
    minutes: defaultdict[str, Counter[str]] = defaultdict(Counter)
    hours: Counter[str] = Counter()
    for item in made:
        tweet = item.tweet
        hours[str(hour_bucket(tweet.created_at))] += 1
        if item.is_ad:
            continue
        minute = str(minute_bucket(tweet.created_at))
        for topic in item.topics:
            topics[topic] += 1
            minutes[topic][minute] += 1
    order = list(TOPIC_WEIGHTS)
    return WindowTruth(
        total=len(made),
        ads=sum(1 for m in made if m.is_ad),
        topics={t: topics[t] for t in sorted(topics, key=order.index)},
        minutes={t: dict(sorted(minutes[t].items())) for t in sorted(minutes, key=order.index)},
        hours=dict(sorted(hours.items())),
        ad_ids=sorted(m.tweet.id for m in made if m.is_ad),
        unique_authors=len({m.tweet.author.username for m in made}),
        bursts=[
            BurstTruth(
                topic=b.topic,
                start=(start + timedelta(milliseconds=b.start_ms)).isoformat(),
                end=(start + timedelta(milliseconds=b.end_ms)).isoformat(),
            )
            for b in bursts
        ],
        late=len(late),
        late_ids=sorted(m.tweet.id for m in late),
    )
