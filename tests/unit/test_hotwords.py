"""Hot words and the word cloud say what the day was about: the stream's subject left out
(summarizer/hotwords.py), words a final "…" cut dropped (streams.keyphrases.uncut), stopwords in
five more languages, Japanese skipped, and the cloud from the window's term counts
(summarizer/service.py). All texts are invented."""

from __future__ import annotations

import dataclasses

import pytest

from streams.keyphrases import CUT_MIN_CHARS, KeyphraseExtractor, uncut
from streams.taxonomy import Tagger, load_taxonomy
from summarizer import wordcloud as wc
from summarizer.hotwords import (
    SUBJECT_MIN_TWEETS,
    letters,
    merge_spellings,
    spelling_key,
    subject_keys,
    without,
)
from summarizer.service import Summarizer, cloud_frequencies
from tests.unit.test_report_render import LABELS_ZH, make_agg, tweet

PAD = "x" * CUT_MIN_CHARS  # makes a text long enough to have been cut by Twitter


@pytest.fixture(scope="module")
def extract() -> KeyphraseExtractor:
    return Tagger(load_taxonomy()).keyphrases


# --- the stream's subject ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "key"),
    [
        ("chatgpt", "chatgpt"),
        ("#ChatGPT", "chatgpt"),
        ("chatgpt-4", "chatgpt"),
        ("gpt-4", "gpt"),
        ("$NVDA", "nvda"),
        ("sam altman", "samaltman"),
        ("#人工智能", "人工智能"),
        ("#2025", ""),
    ],
)
def test_letters(term: str, key: str) -> None:
    assert letters(term) == key


TERMS = [
    ("chatgpt", 660.0),  # in 66 % of 1,000 tweets: the query the stream was collected with
    ("#chatgpt", 110.0),  # its variants go with it
    ("chatgpt-4", 30.0),
    ("gpt-4", 25.0),  # another word: stays
    ("gpt4", 22.0),
    ("#ai", 23.0),
]


@pytest.mark.parametrize(
    ("terms", "tweets", "expected"),
    [
        (TERMS, 1000, {"chatgpt"}),
        (TERMS, 2639, {"chatgpt"}),  # 660 of 2,639: just over a quarter
        (TERMS, 2640, set()),  # 660 of 2,640: a quarter, not more
        (TERMS, 0, set()),  # empty window
        ([("#rag", 40.0)], SUBJECT_MIN_TWEETS - 1, set()),  # too few tweets for a share
        ([("#rag", 40.0)], SUBJECT_MIN_TWEETS, {"rag"}),
        ([("nvidia", 300.0), ("$NVDA", 290.0)], 1000, {"nvidia", "nvda"}),  # two subjects
        ([("#2025", 900.0)], 1000, set()),  # no letters: nothing to match
    ],
)
def test_subject_keys(terms: list[tuple[str, float]], tweets: int, expected: set[str]) -> None:
    assert subject_keys(terms, tweets) == expected


def test_without_keeps_order() -> None:
    assert without(TERMS, {"chatgpt"}) == [("gpt-4", 25.0), ("gpt4", 22.0), ("#ai", 23.0)]


@pytest.mark.parametrize(
    ("term", "key"),
    [
        ("GPT-4", "gpt4"),
        ("#gpt4", "gpt4"),
        ("gpt4", "gpt4"),
        ("GPT-4o", "gpt4o"),  # another model
        ("gpt", "gpt"),
        ("$META", "$meta"),  # a stock is not the word
        ("meta", "meta"),
        ("人工智能", "人工智能"),
        ("#人工智能", "人工智能"),
    ],
)
def test_spelling_key(term: str, key: str) -> None:
    assert spelling_key(term) == key


def test_merge_spellings_keeps_the_most_counted_spelling_and_its_count() -> None:
    terms = [
        ("gpt-4", 25.0),
        ("#ai", 23.0),
        ("gpt4", 22.0),
        ("#GPT4", 9.0),
        ("$META", 5.0),
        ("meta", 4.0),
    ]
    assert merge_spellings(terms) == [("gpt-4", 25.0), ("#ai", 23.0), ("$META", 5.0), ("meta", 4.0)]


def test_the_service_merges_spellings_without_a_subject() -> None:
    small = dataclasses.replace(make_agg(), terms=[("gpt-4", 9.0), ("GPT4", 5.0), ("#ai", 4.0)])
    filtered, subject = Summarizer.without_subject(small)
    assert subject == frozenset()
    assert filtered.terms == [("gpt-4", 9.0), ("#ai", 4.0)]


def test_service_takes_the_subject_out_of_the_terms() -> None:
    agg = dataclasses.replace(make_agg(), total=1020, ads=20, terms=TERMS)
    filtered, subject = Summarizer.without_subject(agg)
    assert subject == {"chatgpt"}
    assert filtered.terms == [("gpt-4", 25.0), ("#ai", 23.0)]  # gpt4: a spelling of gpt-4
    assert filtered.total == agg.total and filtered.top_tweets == agg.top_tweets
    small = make_agg()  # 240 organic tweets, "#AI" in 40 of them: no subject
    assert Summarizer.without_subject(small) == (small, frozenset())


# --- words a final "…" cut -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a retweet is cut by Twitter: the last word before "…" is a fragment
        ("RT @lab: Instead, use Scit…", "RT @lab: Instead, use "),
        ("RT @lab: Instead, use Scit...", "RT @lab: Instead, use "),
        ("RT @lab: read the paper ht…", "RT @lab: read the paper "),
        ("RT @lab: the new\nTh…", "RT @lab: the new\n"),
        # the legacy API's cut: "…" then a link
        (f"{PAD} Cru… https://t.co/abc", f"{PAD} "),
        (f"{PAD} Cru…\nhttps://t.co/abc https://t.co/def ", f"{PAD} "),
        # Chinese and Japanese: only the last character goes
        ("RT @lab: 英伟达发布新一代芯…", "RT @lab: 英伟达发布新一代"),
        # the writer's own "…": a short text that was not cut keeps its last word
        ("What a week for Gemini…", "What a week for Gemini…"),
        ("ChatGPT is too much fun sometimes... https://t.co/x", None),
        ("本当に困った…", None),
        # no word was cut: the ellipsis stands apart, or there is none, or the text is a link
        ("RT @lab: and then …", None),
        ("RT @lab: wait for it ...", None),
        ("RT @lab: …", None),
        ("RT @lab: plain text https://t.co/abc", None),
        ("https://t.co/abc", None),
        ("", None),
        # an ellipsis inside the text is no cut
        ("RT @lab: Gemini… is out https://t.co/x", None),
    ],
)
def test_uncut(text: str, expected: str | None) -> None:
    assert uncut(text) == (text if expected is None else expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RT @lab: Our tool beats GPT-4 and Scit…", ("gpt-4",)),
        ("RT @lab: Big day for OpenAI and Anthr…", ("openai",)),
        ("RT @lab: 英伟达发布新一代芯…", ("英伟达",)),  # 芯 alone is nothing: 芯片 was cut
        ("Big day for OpenAI and Anthropic…", ("openai", "anthropic")),  # not cut: a name
    ],
)
def test_keyphrases_skip_the_cut_word(
    extract: KeyphraseExtractor, text: str, expected: tuple[str, ...]
) -> None:
    assert extract.extract(text) == expected


def test_cloud_skips_the_cut_word() -> None:
    texts = ["RT @lab: Instead, use Scitation for papers and Scit…"] * 3
    freqs = wc.word_frequencies(texts, [])
    assert freqs == {"Scitation": 3.0, "papers": 3.0, "Instead": 3.0}


# --- stopwords, accents, Japanese --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "le modèle et une des avec que ce en",  # fr
        "el modelo para con una los las del",  # es
        "o modelo com uma não você mais",  # pt
        "das Modell und der die nicht ist für",  # de
        "il modello della che per non più",  # it
    ],
)
def test_european_stopwords_are_dropped(text: str) -> None:
    freqs = wc.word_frequencies([text], [])
    assert len(freqs) == 1, freqs  # only the word for "model" is left
    assert next(iter(freqs)).casefold().startswith(("mod", "modè"))


@pytest.mark.parametrize("word", ["AI", "MIT", "OS", "NAS", "war", "son"])
def test_names_and_english_words_are_no_european_stopwords(word: str) -> None:
    assert word.casefold() not in wc.stopwords()


def test_accented_words_stay_whole() -> None:
    freqs = wc.word_frequencies(["régulation européenne sobre inteligência"], [])
    assert set(freqs) == {"régulation", "européenne", "inteligência"}


def test_japanese_is_skipped_chinese_is_not() -> None:
    japanese = "倫理機構を突き破って暴言言い始める ChatGPT"
    assert wc.word_frequencies([japanese], []) == {"ChatGPT": 1.0}  # no 暴言言
    assert "芯片" in wc.word_frequencies(["英伟达发布新一代芯片"], [])


# --- the cloud of a window ---------------------------------------------------------------------


ONE_TWEET = "倫理機構 ethics board ethics ethics board"  # one viral text, many records


def test_cloud_comes_from_the_terms_when_present() -> None:
    records = [tweet(str(i), ONE_TWEET, ("safety_society",), 100 - i) for i in range(40)]
    records.append(tweet("99", "OpenAI and Sam Altman on agents", ("apps_agents",), 5))
    agg = dataclasses.replace(
        make_agg(records),
        terms=[("openai", 30.0), ("#openai", 5.0), ("sam altman", 12.0), ("#le", 9.0)],
    )
    freqs = cloud_frequencies(agg, LABELS_ZH, [])
    # counted over the window, spelled as the top tweets spell them; the viral text adds nothing
    assert freqs == {"OpenAI": 35.0, "Sam Altman": 12.0}


def test_cloud_leaves_out_the_subject() -> None:
    agg = dataclasses.replace(make_agg(), terms=[("chatgpt", 700.0), ("#gpt4", 20.0)])
    assert cloud_frequencies(agg, LABELS_ZH, [], {"chatgpt"}) == {"gpt4": 20.0}


def test_cloud_falls_back_to_distinct_record_texts() -> None:
    records = [tweet(str(i), "agents agents inference", ("apps_agents",), 10) for i in range(30)]
    records.append(tweet("99", "ChatGPT inference chips", ("chips_inference",), 5))
    agg = dataclasses.replace(make_agg(records), terms=[])
    freqs = cloud_frequencies(agg, LABELS_ZH, [], {"chatgpt"})
    # each distinct text once: 30 copies of a retweeted text count as one
    assert freqs == {"agents": 2.0, "inference": 2.0, "chips": 1.0}


def test_cloud_falls_back_to_topic_labels() -> None:
    agg = dataclasses.replace(make_agg([]), terms=[("chatgpt", 9.0)], topics={"markets": 2})
    freqs = cloud_frequencies(agg, {"markets": "市场与个股"}, [], {"chatgpt"})
    assert freqs == {"市场与个股": 3.0}


@pytest.mark.parametrize(
    ("words", "texts", "expected"),
    [
        (["openai"], ["OpenAI ships", "openai again", "#OpenAI"], {"openai": "OpenAI"}),
        (["#sam altman"], ["Sam Altman said"], {"sam altman": "Sam Altman"}),
        (["gpt-4"], ["GPT-4 and GPT-4o"], {"gpt-4": "GPT-4"}),  # a whole word only
        (["nvda"], ["no such word here"], {}),
        (["ai"], ["said again"], {}),  # not inside another word
    ],
)
def test_spellings(words: list[str], texts: list[str], expected: dict[str, str]) -> None:
    assert wc.spellings(words, texts) == expected
