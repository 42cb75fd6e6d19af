"""The report's quotes after the session-9 review: an excerpt shows the term it was chosen
for, cuts Han text between jieba words, closes a quotation it cut, drops a reply's leading
@mentions and a removed link's brackets; a retweet's cut copy and its original are one quote;
the closing note says "all" when every cited tweet is unlinked; the replay's lossy-id note
says what its rows share.

Every tweet here is invented (Freedonia, Zorblax are made-up names)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from producers.formats import FileNotes, read_file, read_file_fast
from streams.segment import SEGMENTER
from summarizer.extractive import EXCERPT_CHARS, Lang, build_extractive, excerpt, text_key
from summarizer.render import render_markdown
from summarizer.report import KEY_POINTS, AdNote, KeyPoint, Report
from tests.unit.test_report_render import LABELS_EN, LABELS_ZH, WINDOW, make_agg, tweet

LONG_IT = (
    "#Chatterbox è stato usato dalle #fontifreedoniane per creare le loro mirabolanti realtà "
    "alternative di ogni giorno. Per non parlare di #Zorblax per dare loro volto "
    "https://t.co/abc"
)
# a Han text whose 120-character head would end inside 后台 (back end): 后 is its 119th character
_HAN_HEAD = (
    "说实话，现在这个网络环境下，要订阅这个接口实在太难了，哪怕我有外币卡和海外地址，"
    "还是被卡了整整一天，最后靠着自己的服务器，又开了无痕模式，"
)
_HAN_TAIL = "最终才登录上后台，绑定上支付，前后一共花了两天时间。"
HAN = _HAN_HEAD + "折腾了很久" * ((118 - len(_HAN_HEAD) - 6) // 5) + "，很久很久很久很久"
HAN = HAN[: 118 - 6] + _HAN_TAIL
assert HAN.index("后台") == 118


# --- 1. the term a quote was chosen for is in its excerpt -----------------------------------------
@pytest.mark.parametrize(
    ("text", "about", "must", "lead", "trail"),
    [
        (LONG_IT, ["Zorblax"], "#Zorblax", True, False),  # a hashtag, near the end
        (LONG_IT, ["Chatterbox"], "#Chatterbox", False, True),  # in the head: the head
        (LONG_IT, ["nowhere"], "#Chatterbox", False, True),  # not mentioned: the head
        (HAN, ["支付"], "支付", True, False),  # a CJK term
        ("word " * 40 + "Freedonia banned it today " + "more " * 40, ["Freedonian"], "Freedonia",
         True, True),  # one stem (freedon): both sides cut
        ("RT @bob: " + "word " * 40 + "then Zorblax shipped a new build and…", ["Zorblax"],
         "Zorblax", True, True),  # a text Twitter cut keeps its …
    ],
)  # fmt: skip
def test_an_excerpt_shows_the_term_it_was_chosen_for(
    text: str, about: list[str], must: str, lead: bool, trail: bool
) -> None:
    got = excerpt(text, about=about)
    assert len(got) <= EXCERPT_CHARS
    assert must in got
    assert got.startswith("…") is lead
    assert got.endswith("…") is trail


def test_a_window_starts_and_ends_on_whole_words() -> None:
    got = excerpt(LONG_IT, about=["Zorblax"])
    assert got.endswith("per dare loro volto")
    first = got.removeprefix("…").split(" ")[0]
    assert first in LONG_IT.split(" ")


def _story_window() -> Report:
    pad = "wrote an unrelated opening line that goes on and on about many other things, " * 2
    tweets = [
        dataclasses.replace(
            tweet(str(400 + i), f"{who} {pad}says Freedonia banned Zorblax {i}",
                  ("policy_regulation",), 100 - i, author=who),
            lang="en",
        )
        for i, who in enumerate(["ana", "ben", "cho", "dee"])
    ]  # fmt: skip
    filler = [
        dataclasses.replace(
            tweet(str(500 + i), f"filler number {i} about agents", ("apps_agents",), 1000 - i),
            lang="en",
        )
        for i in range(12)
    ]
    agg = make_agg(
        [*filler, *tweets], topics={"policy_regulation": 40, "apps_agents": 300}, previous={}
    )
    return build_extractive(dataclasses.replace(agg, terms=[("freedonia", 9.0)]), LABELS_ZH)


def test_a_story_quotes_its_term() -> None:
    stories = [p.text for p in _story_window().events if "Freedonia”，最切题" in p.text]
    assert len(stories) == 1, stories
    quote = stories[0].split("最切题的一条 ", 1)[1].split("：", 1)[1]
    assert "Freedonia" in quote
    assert quote.startswith("“…") and len(quote) <= EXCERPT_CHARS + 2


# --- 2. Han text is cut between jieba words -------------------------------------------------------
def test_a_cut_in_han_text_falls_between_jieba_words() -> None:
    got = excerpt(HAN)
    assert got.endswith("…") and len(got) <= EXCERPT_CHARS
    body = got.removesuffix("…")
    assert body in HAN
    words = SEGMENTER.cut(HAN, hmm=False)
    ends = {sum(map(len, words[: i + 1])) for i in range(len(words))}
    assert len(body) in ends, body[-6:]
    assert not body.endswith("后")  # of 后台


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("最终才登录上后…", "最终才登录上…"),  # Twitter cut 后台: its last jieba word goes
        ("模型发布 GPT-5…", "模型发布…"),
        ("提高图片分辨率的新方法 htt…", "提高图片分辨率的新方法…"),
        ("登录…", "登录…"),  # one word only: kept
    ],
)
def test_a_han_text_twitter_cut_ends_at_its_last_whole_word(text: str, expected: str) -> None:
    assert excerpt(text) == expected


# --- 3. a quotation the excerpt cut is closed -----------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "labels", "expected"),
    [
        ("zh", LABELS_ZH, "@reporter：“The company allowed"),
        ("en", LABELS_EN, "@reporter: “The company allowed"),
    ],
)
def test_a_cut_quotation_gets_its_closing_mark(
    lang: Lang, labels: dict[str, str], expected: str
) -> None:
    said = "“The company allowed engineers " + "to use the writer " * 8 + "to fix code,” they said"
    one = [tweet("1", said, ("apps_agents",), 9, author="reporter")]
    agg = make_agg(one, total=3, ads=0, topics={"apps_agents": 3}, previous={})
    report = build_extractive(agg, labels, lang=lang)
    quoted = [p.text for p in report.key_points if expected in p.text]
    assert quoted
    assert all(text.endswith("…”") for text in quoted), quoted
    assert all(text.count("“") == text.count("”") for text in quoted)


# --- 4. one text spreading is quoted once ---------------------------------------------------------
ORIGINAL = (
    "Thanks to Zorblax, I've made a new plugin:\n\nZorbGPT\n\nNow you can run image models "
    "right inside the chat. \n💬🎨\n\nImagine the possibilities! https://t.co/xyz"
)
RETWEET = (
    "RT @maker: Thanks to Zorblax, I've made a new plugin:\n\nZorbGPT\n\nNow you can run image "
    "models right inside the chat. \n💬🎨\n\nImagi…"
)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (ORIGINAL, RETWEET, True),  # a retweet's copy Twitter cut, credited to another author
        ("RT @x: " + "same words " * 9 + "and then the end", "same words " * 9 + "but more", True),
        ("big news today", "big news today, more later", False),  # too short to be a copy
    ],
)
def test_a_retweets_cut_copy_is_its_originals_text(a: str, b: str, same: bool) -> None:
    tweets = [
        tweet("1", a, ("apps_agents",), 900, author="copier"),
        tweet("2", b, ("models_open_source",), 800, author="maker"),
        tweet("3", "Agents are eating SaaS", ("apps_agents",), 600),
        tweet("4", "Weights for the small model are out", ("models_open_source",), 500),
    ]
    topics = {"apps_agents": 50, "models_open_source": 20}
    report = build_extractive(make_agg(tweets, topics=topics, previous={}), LABELS_ZH)
    first, second = report.key_points[0].text, report.key_points[1].text
    assert text_key(a)[:14] in text_key(first)
    assert ("@maker：“" in second) is not same, second
    assert text_key(a) != text_key(b)  # the keys differ: the comparison is what matches them


# --- 5. reply @mentions and a removed link's brackets ---------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@someone @another 这是通用模型，跟细分领域的不一样", "这是通用模型，跟细分领域的不一样"),
        ("@a_b Connecting the dots", "Connecting the dots"),
        ("Tasks ①Log in to&lt;https://t.co/Hl&gt; ②Try it", "Tasks ①Log in to ②Try it"),
        ("Log in to&amp;lt;https://t.co/Hl&amp;gt; now", "Log in to now"),
        ("see <https://example.com/a>", "see"),
        ("RT @x: Try #Zorblax&amp; twe…", "Try #Zorblax…"),  # no "&…" left by the cut
        ("Ask @bob about it", "Ask @bob about it"),  # a mention inside the text stays
    ],
)  # fmt: skip
def test_excerpt_drops_reply_mentions_and_link_brackets(text: str, expected: str) -> None:
    got = excerpt(text)
    assert got == expected
    assert "<" not in got and "&lt;" not in got


# --- 6. the closing notes -------------------------------------------------------------------------
def _cites(ids: list[str]) -> Report:
    return Report(
        overview="overview",
        key_points=[
            KeyPoint(text=f"point {i}", tweet_ids=ids if i == 0 else []) for i in range(KEY_POINTS)
        ],
        insights=[],
        events=[],
        market=[],
        ai_sections=[],
        finance_sections=[],
        ad_note=AdNote.from_counts(100, 10, {"promo_phrase": 10}),
        mode="extractive",
        mode_note="x",
    )


@pytest.mark.parametrize(
    ("lang", "cited", "note"),
    [
        ("zh", ["1", "2"], "- 全部被引用推文的 id 在源数据中都不完整"),
        ("zh", ["1", "2", "3"], "- 部分推文的 id 在源数据中不完整"),
        ("en", ["1", "2"], "- All cited tweet ids are incomplete"),
        ("en", ["1", "2", "3"], "- Some tweet ids are incomplete"),
    ],
)
def test_the_no_link_note_says_all_when_every_cited_tweet_is_unlinked(
    lang: Lang, cited: list[str], note: str
) -> None:
    unlinked = {"1": "alice", "2": "bob", "9": "eve"}
    markdown = render_markdown(_cites(cited), WINDOW, lang, unlinked=unlinked)
    lines = [x for x in markdown.split("\n") if x.startswith(note)]
    assert len(lines) == 1
    says_all = "- 全部被引用推文" in markdown or "- All cited tweet ids" in markdown
    assert says_all is (len(cited) == 2)


@pytest.mark.parametrize("fast", [False, True])
def test_a_lossy_id_collision_is_another_author_or_text(tmp_path: Path, fast: bool) -> None:
    def line(text: str, username: str, retweets: int) -> dict[str, Any]:
        data = {
            "id": "1642693206365044000",
            "id_is_lossy_float": True,
            "text": text,
            "created_at": "2023-04-03T00:59:14.000Z",
            "author_id": f"id-{username}",
            "public_metrics": {"retweet_count": retweets},
        }
        users = [{"id": f"id-{username}", "username": username}]
        return {"data": data, "includes": {"users": users}}

    rows = [
        line("RT @x: one text", "ana", 5),
        line("RT @x: one text", "ana", 6),  # the same tweet again, counts moved: no collision
        line("RT @x: one text", "ben", 5),  # same text, another author: a collision
        line("another text", "ana", 5),  # another text: a collision
    ]
    path = tmp_path / "v2.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\n")
    notes = FileNotes()
    reader = read_file_fast if fast else read_file
    assert len(list(reader(path, max_text_chars=280, notes=notes))) == 4
    assert (notes.lossy_ids, notes.lossy_collisions) == (4, 2)
    assert re.search(r"2 rows share such an id with a different author or text", notes.lines()[0])
