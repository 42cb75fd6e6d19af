"""Hot words ranked by their rise against the earlier windows (summarizer/hotwords.py
``rank_hot_words``) and where the report names them: the overview, the key points' terms line,
the LLM's stats, the stories' order. All counts and texts are invented."""

from __future__ import annotations

import dataclasses
import math

import pytest

from streams.aggregates import EarlierTerms, WindowAggregates
from summarizer.extractive import build_extractive
from summarizer.hotwords import LIFT_MIN_VOICES, LIFT_Z, rank_hot_words
from summarizer.prompt import stats_block
from tests.unit.test_report_render import LABELS_EN, LABELS_ZH, make_agg

Terms = list[tuple[str, float]]


def earlier(*days: tuple[int, Terms], cut: bool = False) -> list[EarlierTerms]:
    """Earlier windows, the latest first: (organic tweets, terms) each."""
    return [
        EarlierTerms(f"202511{6 - k:02d}", organic, terms, cut)
        for k, (organic, terms) in enumerate(days)
    ]


EVERY_DAY: Terms = [("#ai", 100.0), ("openai", 80.0), ("vicuna", 2.0), ("italy", 3.0)]
WEEK = earlier(*[(1000, EVERY_DAY)] * 3)


@pytest.mark.parametrize(
    ("terms", "organic", "before", "order"),
    [
        pytest.param(  # big every day (a little more today) below the term that jumps
            [("#ai", 120.0), ("openai", 85.0), ("vicuna", 40.0)],
            1000,
            WEEK,
            ["vicuna", "#ai", "openai"],
            id="jump-beats-background",
        ),
        pytest.param(  # a new term one voice uses is no news, nor two: they follow by volume
            [("#ai", 110.0), ("italy", 12.0), ("pair", 2.0), ("fluke", 1.0)],
            1000,
            WEEK,
            ["italy", "#ai", "pair", "fluke"],
            id="one-voice-new-term-does-not-win",
        ),
        pytest.param(  # three voices and none in 3,000 tweets before: new, and ahead
            [("#ai", 110.0), ("italy", 12.0), ("garante", 3.0), ("fluke", 1.0)],
            1000,
            WEEK,
            ["garante", "italy", "#ai", "fluke"],
            id="three-voices-are-enough",
        ),
        pytest.param(  # new terms rank by count among themselves, above the background
            [("#ai", 100.0), ("hugginggpt", 5.0), ("vpn", 8.0), ("llm", 6.0)],
            1000,
            WEEK,
            ["vpn", "llm", "hugginggpt", "#ai"],
            id="new-terms-by-count",
        ),
        pytest.param(  # shares, not counts: a day twice as big doubles the background too;
            # at one rise, the term with more voices (the surer rise) first
            [("#ai", 200.0), ("openai", 160.0), ("italy", 20.0)],
            2000,
            WEEK,
            ["italy", "#ai", "openai"],
            id="shares-not-counts",
        ),
        pytest.param(  # no earlier window: the volume order, as it comes (ties too)
            [("#ai", 15.0), ("openai", 11.0), ("prompt", 4.0), ("google", 4.0), ("x", 1.0)],
            600,
            [],
            ["#ai", "openai", "prompt", "google", "x"],
            id="no-baseline-volume-order",
        ),
        pytest.param(  # no organic tweet to take a share of: the volume order
            [("#ai", 15.0), ("vpn", 4.0)],
            0,
            WEEK,
            ["#ai", "vpn"],
            id="no-organic-volume-order",
        ),
        pytest.param(  # spellings of one term share its baseline: GPT-4 then is gpt4 now
            [("gpt4", 60.0), ("vicuna-13b", 20.0)],
            1000,
            earlier((1000, [("GPT-4", 50.0), ("#gpt4", 10.0)])),
            ["vicuna-13b", "gpt4"],
            id="spellings-merge",
        ),
    ],
)
def test_rank_hot_words(
    terms: Terms, organic: int, before: list[EarlierTerms], order: list[str]
) -> None:
    assert [w.term for w in rank_hot_words(terms, organic, before)] == order


def test_the_score_is_the_log_lift_less_one_standard_error() -> None:
    """9 of 1,000 tweets now, none of 1,000 before (a whole list): lift (9½/1000)/(½/1000)."""
    (word,) = rank_hot_words([("vpn", 9.0)], 1000, earlier((1000, [("#ai", 50.0)])))
    assert word.new
    assert word.count == 9.0  # the report shows the window's own voices
    assert word.lift == pytest.approx(19.0)
    assert word.score == pytest.approx(math.log(19.0) - LIFT_Z * math.sqrt(1 / 9.5 + 1 / 0.5))


def test_a_term_a_cut_list_left_out_had_up_to_its_last_count() -> None:
    """An earlier list cut at the read limit with its last term at 10 voices: a term not in it
    had between 0 and 10; it is taken to have had 5 (still "new": no list names it)."""
    whole = rank_hot_words([("vpn", 12.0)], 1000, earlier((1000, [("#ai", 50.0), ("x", 10.0)])))
    cut = rank_hot_words(
        [("vpn", 12.0)], 1000, earlier((1000, [("#ai", 50.0), ("x", 10.0)]), cut=True)
    )
    assert whole[0].lift == pytest.approx(12.5 / 0.5)
    assert cut[0].lift == pytest.approx(12.5 / 5.5)
    assert cut[0].new and whole[0].new


def test_without_a_baseline_nothing_is_new_and_there_is_no_lift() -> None:
    words = rank_hot_words([("#ai", 15.0), ("vpn", 4.0)], 600, [])
    assert [(w.term, w.count, w.lift, w.new) for w in words] == [
        ("#ai", 15.0, None, False),
        ("vpn", 4.0, None, False),
    ]


def test_terms_below_the_minimum_follow_in_volume_order() -> None:
    few = [(f"t{k}", float(LIFT_MIN_VOICES - 1)) for k in range(3)]
    words = rank_hot_words([("#ai", 100.0), *few], 1000, WEEK)
    assert [w.term for w in words] == ["#ai", "t0", "t1", "t2"]


# --- where the report names them ---------------------------------------------------------------

TODAY: Terms = [("#AI", 40.0), ("$NVDA", 12.0), ("Kimi", 9.0)]


def with_baseline(agg: WindowAggregates, before: list[EarlierTerms]) -> WindowAggregates:
    return dataclasses.replace(agg, terms=TODAY, earlier_terms=before)


# 240 organic tweets now; #AI 40 of them (16.7 %) against 400 of 2,400 before (16.7 %): no rise.
BEFORE = earlier((1200, [("#ai", 200.0), ("$nvda", 6.0)]), (1200, [("#ai", 200.0)]))


def test_the_overview_names_the_hot_words_by_their_rise_with_new_ones_marked() -> None:
    zh = build_extractive(with_baseline(make_agg(), BEFORE), LABELS_ZH, lang="zh")
    hot = "热门词（按较此前 2 天的升幅排序）：Kimi（9，新）、$NVDA（12）、#AI（40）。"
    assert hot in zh.overview
    en = build_extractive(with_baseline(make_agg(), BEFORE), LABELS_EN, lang="en")
    assert (
        "Top terms, by their rise against the 2 previous days: Kimi (9, new), $NVDA (12), "
        "#AI (40)." in en.overview
    )


def test_one_earlier_day_is_the_previous_day() -> None:
    one = BEFORE[:1]
    zh = build_extractive(with_baseline(make_agg(), one), LABELS_ZH, lang="zh")
    assert "热门词（按较前一天的升幅排序）：Kimi（9，新）" in zh.overview
    en = build_extractive(with_baseline(make_agg(), one), LABELS_EN, lang="en")
    assert "Top terms, by their rise against the previous day: Kimi (9, new)" in en.overview


def test_a_first_day_names_them_by_volume_as_before() -> None:
    zh = build_extractive(make_agg(), LABELS_ZH, lang="zh")
    assert "热门词包括 #AI（40）、$NVDA（12）、Kimi（9）。" in zh.overview


def test_the_key_points_terms_line_uses_the_same_order() -> None:
    report = build_extractive(with_baseline(make_agg(), BEFORE), LABELS_ZH, lang="zh")
    lines = [p.text for p in report.key_points if p.text.startswith("热门词")]
    assert lines == ["热门词（按较此前 2 天的升幅排序）：Kimi（9，新）、$NVDA（12）、#AI（40）。"]


def test_the_llm_stats_give_the_rise_and_the_volume() -> None:
    stats = stats_block(with_baseline(make_agg(), BEFORE), LABELS_ZH)
    # $NVDA: 12½ of 240 now against 6½ of 2,400 before: x19.2
    assert (
        "top terms, ranked by their rise against the 2 earlier day windows (voices in this "
        "window; x = times their share of tweets then; new = in none of their term lists): "
        "Kimi (9, new), $NVDA (12, x19.2), #AI (40, x1.0)" in stats
    )
    assert "most used terms (voices): #AI (40), $NVDA (12), Kimi (9)" in stats
    assert "top terms: #AI (40)" not in stats
