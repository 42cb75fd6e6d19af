"""Word frequencies (jieba + English), the CJK font search and the JPG."""

from __future__ import annotations

from pathlib import Path

import pytest
import wordcloud as wordcloud_pkg
from PIL import Image

from streams.errors import ReportError
from summarizer import wordcloud as wc

BUNDLED_LATIN_FONT = Path(wordcloud_pkg.__file__).parent / "DroidSansMono.ttf"  # no CJK glyphs
USER_WORDS = ["智能体", "大模型", "具身智能"]
TEXTS = [
    "智能体和大模型正在改变推理成本，我们认为智能体是下一个入口",
    "RT @someone: OpenAI ships GPT-5 and the new Agents SDK https://t.co/abc123 #AI",
    "openai agents are the future of the web 2025 &amp; beyond $NVDA",
    "具身智能的数据瓶颈：UMI 低成本采集 www.example.com/umi",
]


# --- frequencies --------------------------------------------------------------------------------
def test_frequencies_on_chinese_and_english() -> None:
    freqs = wc.word_frequencies(TEXTS, USER_WORDS)
    assert freqs["智能体"] == 2.0  # one token thanks to the user words
    assert freqs["大模型"] == 1.0
    assert freqs["具身智能"] == 1.0
    assert "智能" not in freqs
    assert freqs["OpenAI"] == 2.0  # case-insensitive, most common spelling (tie → sorted first)
    assert freqs["Agents"] == 2.0
    assert freqs["GPT-5"] == 1.0  # kept whole
    assert freqs["AI"] == 1.0  # hashtag without its '#'
    assert freqs["NVDA"] == 1.0
    assert list(freqs.values()) == sorted(freqs.values(), reverse=True)


@pytest.mark.parametrize(
    "dropped",
    "RT rt the and are someone https t.co co abc123 www example 2025 amp".split()
    + "我们 认为 正在 和 的".split(),
)
def test_noise_is_dropped(dropped: str) -> None:
    freqs = wc.word_frequencies(TEXTS, USER_WORDS)
    assert dropped not in freqs
    assert dropped.casefold() not in {word.casefold() for word in freqs}


def test_no_one_character_tokens() -> None:
    assert all(len(word) >= 2 for word in wc.word_frequencies(TEXTS, USER_WORDS))


def test_extra_weights_are_added() -> None:
    freqs = wc.word_frequencies(["智能体"], USER_WORDS, extra={"智能体": 2.5, "TPU": 4.0, " ": 9})
    assert freqs == {"TPU": 4.0, "智能体": 3.5}


def test_frequencies_are_deterministic() -> None:
    first = wc.word_frequencies(TEXTS, USER_WORDS)
    assert wc.word_frequencies(list(reversed(TEXTS)), USER_WORDS) == first
    assert list(wc.word_frequencies(TEXTS, USER_WORDS)) == list(first)


def test_empty_input() -> None:
    assert wc.word_frequencies([], USER_WORDS) == {}
    assert wc.word_frequencies(["https://t.co/x @a RT 的 2025"], USER_WORDS) == {}


def test_stopwords_file_has_both_languages() -> None:
    words = wc.stopwords()
    assert {"the", "rt", "我们", "这个"} <= words
    assert all(word == word.casefold() and not word.startswith("#") for word in words)


def test_placeholder_frequencies() -> None:
    labels = {"apps_agents": "应用与智能体", "markets": "市场与个股"}
    assert wc.placeholder_frequencies({"apps_agents": 3}, labels) == {
        "应用与智能体": 4.0,
        "市场与个股": 1.0,
    }


# --- fonts --------------------------------------------------------------------------------------
def test_no_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(wc, "_fontconfig_fonts", list)
    monkeypatch.setattr(wc, "KNOWN_FONT_PATHS", (tmp_path / "missing.ttc", BUNDLED_LATIN_FONT))
    with pytest.raises(ReportError) as info:
        wc.find_cjk_font(tmp_path / "also-missing.ttf")
    message = str(info.value)
    assert "apt-get install -y fonts-wqy-microhei" in message
    assert "TWEETPULSE_FONT_PATH" in message


def test_a_font_without_chinese_glyphs_is_skipped(
    monkeypatch: pytest.MonkeyPatch, cjk_font: Path
) -> None:
    monkeypatch.setattr(wc, "_fontconfig_fonts", list)
    monkeypatch.setattr(wc, "KNOWN_FONT_PATHS", (cjk_font,))
    assert not wc.has_cjk_glyphs(BUNDLED_LATIN_FONT)
    assert wc.find_cjk_font(BUNDLED_LATIN_FONT) == cjk_font


def test_setting_wins_when_usable(monkeypatch: pytest.MonkeyPatch, cjk_font: Path) -> None:
    monkeypatch.setattr(wc, "_fontconfig_fonts", lambda: pytest.fail("setting not used"))
    assert wc.find_cjk_font(cjk_font) == cjk_font
    assert wc.has_cjk_glyphs(cjk_font)


def test_fontconfig_listing_is_used(monkeypatch: pytest.MonkeyPatch, cjk_font: Path) -> None:
    monkeypatch.setattr(wc, "_fontconfig_fonts", lambda: [cjk_font])
    monkeypatch.setattr(wc, "KNOWN_FONT_PATHS", ())
    assert wc.find_cjk_font(None) == cjk_font


# --- image --------------------------------------------------------------------------------------
def test_render_writes_a_jpg_of_the_right_size(tmp_path: Path) -> None:
    out = tmp_path / "_posts" / "wordcloud_twitter_ai_20251107_20251108.jpg"
    freqs = {"agents": 9.0, "inference": 5.0, "TPU": 3.0, "RAG": 2.0}
    wc.render_wordcloud(freqs, BUNDLED_LATIN_FONT, out, width=320, height=180)
    with Image.open(out) as image:
        assert image.format == "JPEG"
        assert image.size == (320, 180)
        image.load()
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temp files left


def test_render_is_deterministic(tmp_path: Path) -> None:
    freqs = {"agents": 9.0, "inference": 5.0, "TPU": 3.0, "RAG": 2.0, "chips": 2.0}
    first, second = tmp_path / "a.jpg", tmp_path / "b.jpg"
    wc.render_wordcloud(freqs, BUNDLED_LATIN_FONT, first, width=240, height=160)
    wc.render_wordcloud(dict(reversed(freqs.items())), BUNDLED_LATIN_FONT, second, 240, 160)
    assert first.read_bytes() == second.read_bytes()


def test_empty_frequencies_give_a_placeholder_image(tmp_path: Path) -> None:
    out = tmp_path / "empty.jpg"
    wc.render_wordcloud({}, BUNDLED_LATIN_FONT, out, width=300, height=120, empty_text="no data")
    with Image.open(out) as image:
        assert image.size == (300, 120)
        histogram = image.convert("L").histogram()
    assert sum(histogram[:200]) > 0  # some text was drawn on the white background


def test_chinese_cloud_renders(tmp_path: Path, cjk_font: Path) -> None:
    out = tmp_path / "zh.jpg"
    freqs = wc.word_frequencies(TEXTS, USER_WORDS)
    wc.render_wordcloud(freqs, cjk_font, out, width=400, height=225)
    with Image.open(out) as image:
        assert image.size == (400, 225)


def test_bad_font_is_a_report_error(tmp_path: Path) -> None:
    not_a_font = tmp_path / "font.ttf"
    not_a_font.write_bytes(b"not a font")
    with pytest.raises(ReportError, match="cannot draw with font"):
        wc.render_wordcloud({"agents": 1.0}, not_a_font, tmp_path / "x.jpg", 100, 100)


# add_terms (records' words + terms scaled to at most 20) gave way to term_frequencies: with
# terms, the cloud is the terms' own counts (one tweet counts once, however often it is a top
# tweet); the records are only the fallback. Same cases, now without the records' words.
@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ([("#chatgpt", 10.0), ("chatgpt", 3.0)], {"chatgpt": 13.0}),  # sigil variants add up
        ([("$NVDA", 10.0), ("#rag", 5.0)], {"NVDA": 10.0, "rag": 5.0}),
        ([], {}),
        ([("#", 4.0), ("#a", 3.0), ("#2025", 2.0), ("#le", 5.0), ("x", 0.0)], {}),
    ],
)
def test_term_frequencies(terms: list[tuple[str, float]], expected: dict[str, float]) -> None:
    assert wc.term_frequencies(terms) == expected


def test_curly_apostrophes_do_not_leave_fragments() -> None:
    freqs = wc.word_frequencies(["I don’t think agents can’t reason"] * 3, [])
    assert "don" not in {w.casefold() for w in freqs}
    assert "agents" in freqs
