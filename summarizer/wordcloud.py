"""The report's word cloud: a CJK font, word frequencies (jieba + a small English tokenizer), a JPG.

* :func:`find_cjk_font` — the configured font if usable, else one fontconfig knows for Chinese,
  else a well-known path; none → :class:`~streams.errors.ReportError` with the fix. A font
  without Chinese glyphs is never used: the cloud would be a field of empty boxes.
* :func:`term_frequencies` — the cloud of a window with emerging-term counts (Redis ``:terms``,
  counted over every organic tweet at ingest): one tweet shows up once, however often it was
  retweeted into the top tweets. :func:`spellings` finds how the top tweets spell each term.
* :func:`word_frequencies` — the fallback, from the top tweets' texts. Chinese runs are cut by
  jieba (the process's one segmenter, :data:`streams.segment.SEGMENTER`, shared with the
  tagger's keyphrases) with the taxonomy's user words; Han runs of Japanese text (with kana) are
  skipped, as at ingest: a Chinese dictionary glues Japanese kanji across words (暴言 + 言い →
  暴言言). Other text is cut by a regex for Latin letters (accents included) that keeps
  ``GPT-5`` or ``gpt-4o`` whole. The word a final ``…`` cut is dropped first
  (:func:`streams.keyphrases.uncut`); URLs, @mentions, ``RT``, numbers, one-character tokens
  and the stopwords (``data/stopwords.txt``: English and Chinese;
  ``data/stopwords_europe.txt``: French, Spanish, Portuguese, German, Italian) are dropped;
  counting is case-insensitive and shows a word's most common spelling. jieba's first use loads
  its dictionary (~0.5 s, once per process).
* Both leave out the words whose :func:`summarizer.hotwords.letters` are in ``drop``: the
  stream's own subject (:func:`summarizer.hotwords.subject_keys`).
* :func:`render_wordcloud` — a white-background JPG, deterministic (fixed ``random_state``, ties
  broken by word). A word goes into the image only if the font has a glyph for every character
  of it (:func:`drawable`; the font's character map is read once per path by
  :func:`font_codepoints`): fonts-wqy-microhei has no Arabic, Hebrew, Devanagari, Thai or
  emoji, and such words would be drawn as rows of empty boxes. The report's hot-words list
  still names them; the words left out are counted in a debug log line. No words → a
  placeholder image that says so rather than an error, which would lose the whole report;
  :func:`placeholder_frequencies` gives callers a better placeholder: the window's topic labels
  weighted by volume.
"""

from __future__ import annotations

import html
import io
import logging
import re
import shutil
import subprocess
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final

from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]
from PIL import Image, ImageDraw, ImageFont
from wordcloud import WordCloud

from streams.errors import ReportError
from streams.keyphrases import uncut
from streams.segment import SEGMENTER, is_chinese
from summarizer.hotwords import letters
from summarizer.output import write_atomic

log = logging.getLogger(__name__)

FONT_HINT: Final = (
    "install a CJK font (Debian/Ubuntu: `apt-get install -y fonts-wqy-microhei`) "
    "or set TWEETPULSE_FONT_PATH to a .ttf/.ttc/.otf font with Chinese glyphs"
)
KNOWN_FONT_PATHS: Final[tuple[Path, ...]] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/System/Library/Fonts/PingFang.ttc"),
    Path("/System/Library/Fonts/STHeiti Medium.ttc"),
    Path("C:/Windows/Fonts/msyh.ttc"),
)
_FONT_SUFFIXES: Final = (".ttf", ".ttc", ".otf", ".otc")
_PREFERRED: Final = ("wqy-microhei", "notosanscjk", "wqy-zenhei", "notoserifcjk")

RANDOM_STATE: Final = 20251107
MAX_WORDS: Final = 200
EMPTY_TEXT: Final = "暂无词云数据 · no words for a cloud"

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin, accents included
_LATIN = re.compile(f"[{_LETTER}][{_LETTER}0-9]*(?:['.-][{_LETTER}0-9]+)*")
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"@[A-Za-z0-9_]+")


# --- font -----------------------------------------------------------------------------------
def _glyph_signature(font: ImageFont.FreeTypeFont, text: str) -> bytes:
    image = Image.new("L", (160, 48), 0)
    ImageDraw.Draw(image).text((4, 4), text, font=font, fill=255)
    return image.tobytes()


def has_cjk_glyphs(path: Path) -> bool:
    """True when ``path`` is a font that draws 智能 differently from two unassigned code points."""
    try:
        font = ImageFont.truetype(str(path), 32)
    except OSError:
        return False
    return _glyph_signature(font, "智能") != _glyph_signature(font, "\U000f0000\U000f0001")


def _read_codepoints(path: Path) -> frozenset[int]:
    """The code points ``path``'s character map gives a glyph (the first font of a collection:
    the one PIL and WordCloud draw with)."""
    with TTFont(str(path), fontNumber=0, lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return frozenset(cmap)


@cache
def font_codepoints(path: Path) -> frozenset[int]:
    """:func:`_read_codepoints` of ``path``, read once per path per process (~0.1 s for a CJK
    font). Raises OSError or fontTools' TTLibError when ``path`` is not a readable font."""
    return _read_codepoints(path)


def drawable(
    freqs: Mapping[str, float], codepoints: Collection[int]
) -> tuple[dict[str, float], list[str]]:
    """``freqs`` split into the words every character of which is in ``codepoints`` (order
    kept) and the words left out (sorted)."""
    kept: dict[str, float] = {}
    left_out: list[str] = []
    for word, weight in freqs.items():
        if all(ord(ch) in codepoints for ch in word):
            kept[word] = weight
        else:
            left_out.append(word)
    return kept, sorted(left_out)


def _fontconfig_fonts() -> list[Path]:
    """Font files fontconfig lists for Chinese (empty when fc-list is missing or fails)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        done = subprocess.run(
            [fc_list, "--format=%{file}\\n", ":lang=zh"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("fc-list failed while looking for a CJK font: %s", exc)
        return []
    files = {Path(line.strip()) for line in done.stdout.splitlines() if line.strip()}
    usable = [p for p in files if p.suffix.lower() in _FONT_SUFFIXES]

    def preference(path: Path) -> tuple[int, str]:
        name = path.name.lower()
        rank = next((i for i, key in enumerate(_PREFERRED) if key in name), len(_PREFERRED))
        return rank, str(path)

    return sorted(usable, key=preference)


def find_cjk_font(setting: Path | None) -> Path:
    """A font file that can draw Chinese: ``setting``, else fontconfig's, else a known path.

    Raises ReportError (operator action in the message) when there is none. A configured font
    that is missing or has no Chinese glyphs is logged and skipped.
    """
    if setting is not None:
        if setting.is_file() and has_cjk_glyphs(setting):
            return setting
        log.warning(
            "TWEETPULSE_FONT_PATH=%s is missing or has no Chinese glyphs; looking for another",
            setting,
        )
    for candidate in (*_fontconfig_fonts(), *KNOWN_FONT_PATHS):
        if candidate.is_file() and has_cjk_glyphs(candidate):
            return candidate
    msg = f"word cloud: no font with Chinese glyphs found (setting: {setting}); {FONT_HINT}"
    raise ReportError(msg)


# --- words ----------------------------------------------------------------------------------
STOPWORD_FILES: Final = ("data/stopwords.txt", "data/stopwords_europe.txt")


@cache
def stopwords() -> frozenset[str]:
    """The built-in stopwords (casefolded): English, Chinese, French, Spanish, Portuguese,
    German, Italian."""
    words: set[str] = set()
    for name in STOPWORD_FILES:
        text = resources.files("summarizer").joinpath(name).read_text("utf-8")
        for line in text.splitlines():
            words.update(word.casefold() for word in line.split("#", 1)[0].split())
    return frozenset(words)


def _cut(runs: Sequence[str], user_words: Iterable[str]) -> list[str]:
    """jieba's words of the Chinese ``runs`` (HMM on: a cloud may show words jieba guesses)."""
    SEGMENTER.add_words(user_words)
    return [token for run in runs for token in SEGMENTER.cut(run, hmm=True)]


def _clean(text: str) -> str:
    text = _URL.sub(" ", uncut(html.unescape(text))).replace("\u2019", "'")  # don’t → don't
    return _MENTION.sub(" ", text)


def _keep(token: str, stop: frozenset[str]) -> bool:
    return len(token) >= 2 and not token.isdigit() and token.casefold() not in stop


def word_frequencies(
    texts: Iterable[str],
    user_words: Sequence[str],
    extra: Mapping[str, float] | None = None,
    *,
    drop: Collection[str] = (),
) -> dict[str, float]:
    """Word → count over ``texts`` (plus ``extra`` weights, added as given), ordered by count.

    ``user_words`` are Chinese words jieba must keep whole (智能体, 大模型, …); a word mixing
    scripts such as ``AI芯片`` is split at the script boundary. Words whose letters are in
    ``drop`` are left out.
    """
    stop = stopwords()
    counts: Counter[str] = Counter()
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    cjk_runs: list[str] = []
    for text in texts:
        clean = _clean(text)
        if is_chinese(clean):  # Japanese (kana) is skipped
            cjk_runs.extend(_CJK.findall(clean))
        for token in _LATIN.findall(_CJK.sub(" ", clean)):
            if _keep(token, stop) and letters(token) not in drop:
                key = token.casefold()
                counts[key] += 1
                spellings[key][token] += 1
    if cjk_runs:
        for token in _cut(cjk_runs, user_words):
            if _keep(token, stop) and _CJK.fullmatch(token) and token not in drop:
                counts[token] += 1
                spellings[token][token] += 1
    freqs: dict[str, float] = {}
    for key, n in counts.items():
        shown = min(spellings[key].items(), key=lambda sc: (-sc[1], sc[0]))[0]
        freqs[shown] = float(n)
    for word, weight in (extra or {}).items():
        if word.strip() and weight > 0:
            freqs[word.strip()] = freqs.get(word.strip(), 0.0) + float(weight)
    return dict(sorted(freqs.items(), key=lambda wf: (-wf[1], wf[0])))


def term_frequencies(
    terms: Iterable[tuple[str, float]],
    *,
    drop: Collection[str] = (),
    shown: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """Word → count from the window's emerging terms (``#tag``/``$TAG``/keyphrase counts).

    Sigils are dropped and variants that differ only in them or in case add up ("#chatgpt" and
    "chatgpt"); stopwords, numbers, one-character words and words whose letters are in ``drop``
    are left out. A word is shown as ``shown`` spells it (keys casefolded; see
    :func:`spellings`), else as counted.
    """
    stop = stopwords()
    spelled = shown or {}
    counts: dict[str, float] = {}
    first: dict[str, str] = {}
    for term, n in terms:
        word = term.lstrip("#$").strip()
        if n <= 0 or not _keep(word, stop) or letters(word) in drop:
            continue
        key = word.casefold()
        counts[key] = counts.get(key, 0.0) + n
        first.setdefault(key, word)
    freqs = {spelled.get(key, first[key]): n for key, n in counts.items()}
    return dict(sorted(freqs.items(), key=lambda wf: (-wf[1], wf[0])))


def spellings(words: Iterable[str], texts: Iterable[str]) -> dict[str, str]:
    """Casefolded word → its most common spelling in ``texts`` (ties: the first in code-point
    order), for the ``words`` found there as whole words ("openai" → "OpenAI")."""
    blob = "\n".join(texts)
    out: dict[str, str] = {}
    for word in dict.fromkeys(w.lstrip("#$").strip().casefold() for w in words):
        if not word:
            continue
        found = Counter(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", blob, re.IGNORECASE))
        if found:
            out[word] = min(found.items(), key=lambda sc: (-sc[1], sc[0]))[0]
    return out


def placeholder_frequencies(
    topics: Mapping[str, int], labels: Mapping[str, str]
) -> dict[str, float]:
    """Topic labels weighted by volume (+1, so silent topics show too): a window without text."""
    return {label: 1.0 + max(topics.get(topic, 0), 0) for topic, label in labels.items()}


# --- image ----------------------------------------------------------------------------------
def _placeholder(font: Path, width: int, height: int, text: str) -> Image.Image:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(font), max(12, height // 14))
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
    origin = ((width - (right - left)) / 2 - left, (height - (bottom - top)) / 2 - top)
    draw.text(origin, text, font=face, fill=(110, 110, 110))
    return image


def render_wordcloud(
    freqs: Mapping[str, float],
    font: Path,
    out: Path,
    width: int = 1600,
    height: int = 900,
    *,
    empty_text: str = EMPTY_TEXT,
) -> None:
    """Write the cloud of ``freqs`` as a JPG at ``out`` (atomically; same input → same bytes).

    Words the font cannot draw every character of are left out (logged at debug level). With
    no positive frequency left the image is a placeholder showing ``empty_text``.
    """
    try:
        codepoints = font_codepoints(font)
    except (OSError, TTLibError) as exc:
        msg = f"word cloud: cannot draw with font {font}: {exc}; {FONT_HINT}"
        raise ReportError(msg) from exc
    positive = {w: f for w, f in freqs.items() if f > 0 and w.strip()}
    kept, left_out = drawable(positive, codepoints)
    if left_out:
        log.debug(
            "word cloud: %d of %d words left out, font %s has no glyph for some character: %s",
            len(left_out),
            len(positive),
            font,
            ", ".join(left_out[:20]),
        )
    words = sorted(kept.items(), key=_by_weight)
    try:
        if words:
            cloud = WordCloud(
                font_path=str(font),
                width=width,
                height=height,
                background_color="white",
                random_state=RANDOM_STATE,
                max_words=MAX_WORDS,
                prefer_horizontal=0.9,
            )
            cloud.generate_from_frequencies(dict(words[:MAX_WORDS]))
            image: Image.Image = cloud.to_image()
        else:
            image = _placeholder(font, width, height, empty_text)
    except OSError as exc:
        msg = f"word cloud: cannot draw with font {font}: {exc}; {FONT_HINT}"
        raise ReportError(msg) from exc
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=90)
    write_atomic(out, buffer.getvalue())


def _by_weight(item: tuple[str, float]) -> tuple[float, str]:
    return (-item[1], item[0])
