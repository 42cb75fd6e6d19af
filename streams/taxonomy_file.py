"""The taxonomy file (``streams/taxonomy.yaml``): its schema, and :func:`load_taxonomy`.

Kept apart from the tagger (:mod:`streams.taxonomy`) so that the tagger's hot path can be
compiled (see :mod:`streams.native`) while pydantic checks the file.

Operator action on a :class:`~streams.errors.ConfigError` from :func:`load_taxonomy`: fix the
file and line named in the message, or unset ``TWEETPULSE_TAXONOMY_PATH`` to use the shipped file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from streams.errors import ConfigError

DEFAULT_TAXONOMY_PATH = Path(__file__).with_name("taxonomy.yaml")

_Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_TopicId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


class _TopicSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label_zh: _Word
    label_en: _Word
    keywords_en: list[_Word] = Field(default_factory=list)
    keywords_zh: list[_Word] = Field(default_factory=list)
    keywords_weak: list[_Word | list[_Word]] = Field(default_factory=list)
    keywords_passing: list[_Word] = Field(default_factory=list)
    yields_to: list[_TopicId] = Field(default_factory=list)
    hashtag_tail: int = Field(default=0, ge=0)
    context_annotations: list[_Word] = Field(default_factory=list)


class _TaxonomySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    user_words: list[_Word] = Field(default_factory=list)
    hashtag_wall: int = Field(default=0, ge=0)
    topics: dict[_TopicId, _TopicSpec] = Field(min_length=1)


@dataclass(frozen=True)
class TopicDef:
    """One topic: stable id, report labels and the keywords that tag it.

    ``keywords_weak`` (either language) tag it only in pairs: two different weak words in one
    tweet (see :class:`streams.taxonomy.Tagger`); each weak word is the tuple of its forms
    (``("replace", "replaced", "replacing")``), which count as one word. ``keywords_passing``
    (names dropped in passing, "chatgpt") tag it alone unless the tweet gets a topic of
    ``yields_to`` too. ``hashtag_tail`` (0: off): in a tweet with at least that many '#', the
    topic's keywords and passing names found only as hashtags in the closing run of tags tag
    nothing.
    """

    id: str
    label_zh: str
    label_en: str
    keywords_en: tuple[str, ...]
    keywords_zh: tuple[str, ...]
    context_annotations: tuple[str, ...] = ()
    keywords_weak: tuple[tuple[str, ...], ...] = ()
    keywords_passing: tuple[str, ...] = ()
    yields_to: tuple[str, ...] = ()
    hashtag_tail: int = 0


@dataclass(frozen=True)
class Taxonomy:
    """The topics in file order, plus extra words for jieba; ``hashtag_wall`` (0: off): in a
    tweet with at least that many '#', a keyword (keywords_en/zh) found only as a hashtag tags
    nothing."""

    topics: dict[str, TopicDef]
    extra_user_words: tuple[str, ...] = ()
    hashtag_wall: int = 0

    @property
    def topic_ids(self) -> list[str]:
        return list(self.topics)

    def label(self, topic_id: str, lang: str = "zh") -> str:
        """The topic's label in ``lang`` ("zh" or "en"); KeyError for an unknown topic."""
        topic = self.topics[topic_id]
        if lang == "zh":
            return topic.label_zh
        if lang == "en":
            return topic.label_en
        msg = f"label language must be 'zh' or 'en'; got {lang!r}"
        raise ValueError(msg)

    def user_words(self) -> list[str]:
        """Words for jieba's user dictionary: the extra words, every Chinese keyword, and the
        ASCII keywords jieba would otherwise split (``gpt-4o``, ``bolt.new``).

        Keywords with a space are left out: jieba never yields a token containing a space; so are
        the weak ones, everyday words that are no term of their own ("jobs", "答案").
        """
        words: dict[str, None] = dict.fromkeys(self.extra_user_words)
        for topic in self.topics.values():
            words.update(dict.fromkeys(w for w in topic.keywords_zh if " " not in w))
            words.update(
                dict.fromkeys(
                    w
                    for w in topic.keywords_en
                    if " " not in w and not w.replace("_", "").isalnum()
                )
            )
        return list(words)


def _validation_problems(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"  {where}: {err['msg']} (got {err.get('input')!r})")
    return "\n".join(lines)


def _weak_words(entries: list[str | list[str]]) -> tuple[tuple[str, ...], ...]:
    """Each weak word as the tuple of its forms: "jobs" → ("jobs",); [replace, replaced] stays."""
    words = (tuple(dict.fromkeys(e)) if isinstance(e, list) else (e,) for e in entries)
    return tuple(dict.fromkeys(w for w in words if w))


# A Han character: only keywords with one get Traditional forms.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# OpenCC's Simplified -> Traditional conversions: plain, with Taiwan phrasing (芯片 -> 晶片,
# 数据中心 -> 資料中心) and Hong Kong forms.
_OPENCC_CONFIGS = ("s2t", "s2twp", "s2hk")


@functools.cache
def _converters() -> tuple[Callable[[str], str], ...]:
    """OpenCC's converters, built once (about 0.15 s) on the first load of a taxonomy."""
    import opencc  # a load-time cost only: imported here, the tagger never imports it

    return tuple(opencc.OpenCC(config).convert for config in _OPENCC_CONFIGS)


def traditional_forms(word: str) -> tuple[str, ...]:
    """``word`` and its Traditional Chinese forms (deduplicated, ``word`` first); a word with no
    Han character is returned alone."""
    if not _HAN.search(word):
        return (word,)
    return tuple(dict.fromkeys((word, *(convert(word) for convert in _converters()))))


def _expanded(words: Iterable[str], seen: set[str]) -> tuple[str, ...]:
    """Every word with its Traditional forms, minus the forms already in ``seen`` (which grows):
    a form listed by hand, or one that two keywords share, stays in one place."""
    out: list[str] = []
    for word in words:
        for index, form in enumerate(traditional_forms(word)):
            folded = _folded(form)
            if index and folded in seen:
                continue
            seen.add(folded)
            out.append(form)
    return tuple(out)


def _folded(word: str) -> str:
    """A keyword as the tagger compares it, near enough to find one listed twice."""
    return " ".join(word.casefold().split())


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read and check a taxonomy YAML file (default: the one shipped next to this module).

    Raises :class:`ConfigError` naming the file and what is wrong with it.
    """
    path = path or DEFAULT_TAXONOMY_PATH
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = (
            f"taxonomy file {path} not found; point TWEETPULSE_TAXONOMY_PATH at an existing "
            "YAML file or unset it to use the shipped one"
        )
        raise ConfigError(msg) from None
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"taxonomy file {path} cannot be read: {exc}"
        raise ConfigError(msg) from None
    except yaml.YAMLError as exc:
        msg = f"taxonomy file {path} is not valid YAML: {exc}"
        raise ConfigError(msg) from None
    if not isinstance(raw, dict):
        msg = (
            f"taxonomy file {path} must be a mapping with a 'topics' key; got {type(raw).__name__}"
        )
        raise ConfigError(msg)
    try:
        spec = _TaxonomySpec.model_validate(raw)
    except ValidationError as exc:
        msg = f"taxonomy file {path} is invalid:\n{_validation_problems(exc)}"
        raise ConfigError(msg) from None
    topics: dict[str, TopicDef] = {}
    for topic_id, topic in spec.topics.items():
        if not topic.keywords_en and not topic.keywords_zh:
            msg = f"taxonomy file {path}: topic {topic_id!r} has no keywords_en or keywords_zh"
            raise ConfigError(msg)
        unknown = sorted(set(topic.yields_to) - set(spec.topics))
        if unknown or topic_id in topic.yields_to:
            msg = (
                f"taxonomy file {path}: topic {topic_id!r} yields_to {unknown or [topic_id]}, "
                "which must be other topics of the file"
            )
            raise ConfigError(msg)
        weak = _weak_words(topic.keywords_weak)
        seen = {_folded(w) for w in (*topic.keywords_en, *topic.keywords_zh)}
        twice = sorted(w for w in topic.keywords_passing if _folded(w) in seen)
        if twice:
            msg = (
                f"taxonomy file {path}: topic {topic_id!r} lists {twice} twice (in "
                "keywords_en/keywords_zh and keywords_passing); keep each keyword in one place"
            )
            raise ConfigError(msg)
        seen.update(_folded(w) for w in topic.keywords_passing)
        for forms in weak:
            twice = sorted(w for w in forms if _folded(w) in seen)
            if twice:
                msg = (
                    f"taxonomy file {path}: topic {topic_id!r} lists {twice} twice (in "
                    "keywords_en/keywords_zh and keywords_weak, or in two weak words); keep each "
                    "keyword in one place"
                )
                raise ConfigError(msg)
            seen.update(_folded(w) for w in forms)
        # Traditional forms of the Chinese keywords, added once here so that the tagger matches
        # both scripts at no cost per tweet. The hand-written keywords claim their forms first;
        # a generated form another keyword of the topic already has is left out. ``seen`` now
        # holds every hand-written keyword, passing name and weak form of the topic.
        listed = seen
        keywords_en = _expanded(dict.fromkeys(topic.keywords_en), listed)
        keywords_zh = _expanded(dict.fromkeys(topic.keywords_zh), listed)
        passing = _expanded(dict.fromkeys(topic.keywords_passing), listed)
        weak = tuple(
            expanded for expanded in (_expanded(forms, listed) for forms in weak) if expanded
        )
        topics[topic_id] = TopicDef(
            id=topic_id,
            label_zh=topic.label_zh,
            label_en=topic.label_en,
            keywords_en=keywords_en,
            keywords_zh=keywords_zh,
            context_annotations=tuple(dict.fromkeys(topic.context_annotations)),
            keywords_weak=weak,
            keywords_passing=passing,
            yields_to=tuple(dict.fromkeys(topic.yields_to)),
            hashtag_tail=topic.hashtag_tail,
        )
    return Taxonomy(
        topics=topics,
        extra_user_words=tuple(dict.fromkeys(spec.user_words)),
        hashtag_wall=spec.hashtag_wall,
    )
