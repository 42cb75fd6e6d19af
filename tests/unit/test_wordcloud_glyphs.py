"""The word cloud leaves out words its font cannot draw (no rows of empty boxes); invented terms."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import wordcloud as wordcloud_pkg

from streams.errors import ReportError
from summarizer import wordcloud as wc

BUNDLED_LATIN_FONT = Path(wordcloud_pkg.__file__).parent / "DroidSansMono.ttf"  # no CJK glyphs
ARABIC = "كلمة_مخترعة"  # invented: "invented_word"
EMOJI = "Zorblax🤖"
HEBREW = "מילהבדויה"
CHINESE = "芯片新词"
LATIN = "Zorblax"


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    wc.font_codepoints.cache_clear()
    yield
    wc.font_codepoints.cache_clear()


@pytest.mark.parametrize(
    ("freqs", "kept", "left_out"),
    [
        ({}, {}, []),
        ({"abc": 2.0, "ab": 1.0}, {"abc": 2.0, "ab": 1.0}, []),
        ({"abz": 2.0, "ab": 1.0}, {"ab": 1.0}, ["abz"]),
        ({"zz": 3.0, "ba": 2.0, "za": 1.0}, {"ba": 2.0}, ["za", "zz"]),  # left out: sorted
        ({"a b": 1.0}, {}, ["a b"]),  # a space is a character the font must have too
    ],
)
def test_drawable_keeps_words_the_code_points_cover(
    freqs: dict[str, float], kept: dict[str, float], left_out: list[str]
) -> None:
    got_kept, got_left_out = wc.drawable(freqs, frozenset(map(ord, "abc")))
    assert got_kept == kept
    assert list(got_kept) == list(kept)  # order kept
    assert got_left_out == left_out


def test_cjk_font_drops_scripts_it_lacks_and_keeps_chinese_and_latin(cjk_font: Path) -> None:
    freqs = {CHINESE: 5.0, ARABIC: 4.0, LATIN: 3.0, EMOJI: 2.0, HEBREW: 1.0}
    kept, left_out = wc.drawable(freqs, wc.font_codepoints(cjk_font))
    assert kept == {CHINESE: 5.0, LATIN: 3.0}
    assert left_out == sorted([ARABIC, EMOJI, HEBREW])


def test_latin_font_drops_chinese() -> None:
    kept, left_out = wc.drawable({CHINESE: 2.0, LATIN: 1.0}, wc.font_codepoints(BUNDLED_LATIN_FONT))
    assert kept == {LATIN: 1.0}
    assert left_out == [CHINESE]


def test_the_font_is_read_once_per_path(monkeypatch: pytest.MonkeyPatch, cjk_font: Path) -> None:
    reads: list[Path] = []
    real = wc._read_codepoints

    def counting(path: Path) -> frozenset[int]:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(wc, "_read_codepoints", counting)
    first = wc.font_codepoints(cjk_font)
    assert wc.font_codepoints(cjk_font) is first
    wc.font_codepoints(BUNDLED_LATIN_FONT)
    wc.font_codepoints(BUNDLED_LATIN_FONT)
    assert reads == [cjk_font, BUNDLED_LATIN_FONT]
    assert ord("智") in first and ord("智") not in wc.font_codepoints(BUNDLED_LATIN_FONT)


def test_render_leaves_the_undrawable_words_out(
    tmp_path: Path, cjk_font: Path, caplog: pytest.LogCaptureFixture
) -> None:
    drawable = {CHINESE: 9.0, LATIN: 5.0, "推理芯片": 3.0}
    with_boxes = {**drawable, ARABIC: 8.0, EMOJI: 4.0}
    clean, mixed = tmp_path / "clean.jpg", tmp_path / "mixed.jpg"
    wc.render_wordcloud(drawable, cjk_font, clean, width=320, height=180)
    with caplog.at_level(logging.DEBUG, logger=wc.__name__):
        wc.render_wordcloud(with_boxes, cjk_font, mixed, width=320, height=180)
    assert mixed.read_bytes() == clean.read_bytes()  # same image, as if they were never there
    assert "2 of 5 words left out" in caplog.text
    assert ARABIC in caplog.text


def test_render_with_only_undrawable_words_is_the_placeholder(tmp_path: Path) -> None:
    only_chinese, placeholder = tmp_path / "zh.jpg", tmp_path / "empty.jpg"
    wc.render_wordcloud({CHINESE: 2.0}, BUNDLED_LATIN_FONT, only_chinese, 300, 120, empty_text="x")
    wc.render_wordcloud({}, BUNDLED_LATIN_FONT, placeholder, 300, 120, empty_text="x")
    assert only_chinese.read_bytes() == placeholder.read_bytes()


def test_a_missing_font_is_a_report_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="cannot draw with font"):
        wc.render_wordcloud({LATIN: 1.0}, tmp_path / "gone.ttf", tmp_path / "x.jpg", 100, 100)
