"""normalize_text's C fold (streams/_textfold.c) and its table equal the Python reference.

The table (streams.taxonomy.fold_table) is checked against python_normalize_text for every
code point it covers, in pure Python. The C fold runs only in a compiled build (``make
native``; ``make test`` builds first, so CI always tests it): outside CI, without a build,
those tests skip.
"""

from __future__ import annotations

import array
from collections.abc import Callable

import pytest

from streams import taxonomy
from streams.taxonomy import (
    FOLD_EMOJI,
    FOLD_GIVE_UP,
    FOLD_KEEP,
    FOLD_SPACE,
    fold_table,
    python_normalize_text,
)
from tests.bench.ads import CORPUS_FILES
from tests.native_build import built
from tests.shared_data import require


@pytest.fixture(scope="module")
def table() -> tuple[array.array[int], str]:
    raw, pool = fold_table()
    entries = array.array("i")
    entries.frombytes(raw)
    return entries, pool


def test_every_table_entry_is_what_the_reference_makes_of_the_character(
    table: tuple[array.array[int], str],
) -> None:
    """Between two letters, a kept character stays, a space is one space, a replacement is
    its characters; and the table gives up on what composes or reorders."""
    entries, pool = table
    assert len(entries) == 0x10000 + len(FOLD_EMOJI)
    kinds = {FOLD_KEEP: 0, FOLD_SPACE: 0, FOLD_GIVE_UP: 0, "replaced": 0}
    for index, code in enumerate((*range(0x10000), *FOLD_EMOJI)):
        entry = entries[index]
        if entry == FOLD_GIVE_UP:
            kinds[FOLD_GIVE_UP] += 1
            continue
        char = chr(code)
        if entry == FOLD_KEEP:
            expected = f"x{char}y"
            kinds[FOLD_KEEP] += 1
        elif entry == FOLD_SPACE:
            expected = "x y"
            kinds[FOLD_SPACE] += 1
        else:
            expected = "x" + pool[entry + 1 : entry + 1 + ord(pool[entry])] + "y"
            kinds["replaced"] += 1
        assert python_normalize_text(f"x{char}y") == expected, hex(code)
    # what real text is made of is covered: CJK, kana, Latin letters, emoji, full-width forms;
    # the Unicode whitespace characters are few
    assert kinds[FOLD_KEEP] > 60_000 and kinds["replaced"] > 3000 and kinds[FOLD_SPACE] > 20, kinds


@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("\u0301", FOLD_GIVE_UP),  # a combining accent composes with the letter before
        ("\u3099", FOLD_GIVE_UP),  # kana voicing mark: か + ゙ = が
        ("\u1161", FOLD_GIVE_UP),  # a Hangul vowel jamo: ᄀ + ᅡ = 가
        ("\u314f", FOLD_GIVE_UP),  # compatibility jamo: NFKC makes it a conjoining one
        ("\u0bbe", FOLD_GIVE_UP),  # Tamil vowel sign AA composes with the sign before it
        ("中", FOLD_KEEP),
        ("é", FOLD_KEEP),
        ("😀", FOLD_KEEP),
        ("\u3000", FOLD_SPACE),
        ("\xa0", FOLD_SPACE),
        ("\u2028", FOLD_SPACE),
        ("\ufdfa", FOLD_GIVE_UP),  # its NFKC form holds spaces
    ],
)
def test_table_kinds(table: tuple[array.array[int], str], char: str, kind: int) -> None:
    code = ord(char)
    index = code if code < 0x10000 else 0x10000 + FOLD_EMOJI.index(code)
    assert table[0][index] == kind


def _fold() -> Callable[[str], str | None]:
    return built(taxonomy._FOLD[0] if taxonomy._FOLD else taxonomy._load_fold(), "the C fold")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        " \t\n\x1c\x1f a ",
        "Hello,  WORLD!\n\nNew   line",
        "ＧＰＴ－４　发布了！（全角）…？",
        "OpenAI\u00a0GPT\u2009five\u3000release",  # no-break, thin and ideographic spaces
        "ﬁnance ™ ㍱ ① Ⅻ ⼀",  # compatibility forms with longer replacements
        "ÉCOLE İstanbul STRASSE straße Σίσυφος",  # case folds of Latin and Greek letters
        "cafe\u0301 e\u0301",  # decomposed accents: NFKC composes them (Python's path)
        "ㄱㅏ 가\u11a8",  # compatibility jamo and a trailing jamo compose (Python's path)
        "𝐁𝐨𝐥𝐝 𝓈𝒸𝓇𝒾𝓅𝓉",  # mathematical letters (Python's path)
        "emoji 😀👍🏽🇨🇳 and 🄰🅐",
        "﷽ ﷺ",
        "a" * 3000 + " 中" * 2000,  # longer than the C side's stack buffer
    ],
)
def test_c_fold_equals_python(text: str) -> None:
    folded = _fold()(text)
    assert folded is None or folded == python_normalize_text(text)
    assert taxonomy.normalize_text.__wrapped__(text) == python_normalize_text(text)


def test_c_fold_equals_python_on_the_bench_corpora() -> None:
    """Every text of the bench corpora (54,404): the same result, and the C side answers most
    of them itself."""
    fold = _fold()
    texts = answered = 0
    for _, relative, reader in CORPUS_FILES:
        for tweet in reader(require(f"corpora/{relative}")):
            texts += 1
            folded = fold(tweet.text)
            if folded is not None:
                answered += 1
                assert folded == python_normalize_text(tweet.text), tweet.text
    assert texts > 50_000
    assert answered > 0.9 * texts
