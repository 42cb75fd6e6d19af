"""Filtered-stream rules: a YAML rules file, the sync plan (pure) and the X API rules client.

Rules file (see ``examples/rules.example.yaml``)::

    rules:
      - tag: ai-labs
        value: "from:OpenAI OR from:AnthropicAI -is:retweet"

X identifies a rule by its id and matches on its ``value``: :func:`plan_sync` keeps a live rule
whose value and tag equal a wanted one, deletes every other live rule and adds the missing
ones (changing a tag is a delete plus an add). The bearer token is only ever put in the
``Authorization`` header; it is never logged nor put in an error message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import yaml

from streams.errors import ConfigError, InputError, ServiceError
from streams.settings import Settings

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("tweetpulse.rules")

RULES_PATH: Final = "/2/tweets/search/stream/rules"
MAX_RULE_CHARS: Final = 1024  # the longest rule the Pro tier accepts


@dataclass(frozen=True, slots=True)
class Rule:
    value: str
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class LiveRule:
    id: str
    value: str
    tag: str | None = None

    @property
    def rule(self) -> Rule:
        return Rule(self.value, self.tag)


@dataclass(frozen=True, slots=True)
class SyncPlan:
    add: tuple[Rule, ...]
    delete: tuple[LiveRule, ...]
    keep: tuple[LiveRule, ...]


def _bad_file(detail: str) -> InputError:
    return InputError("invalid_rules_file", detail)


def parse_rules(data: object, source: str) -> list[Rule]:
    """Rules from the decoded YAML of a rules file; InputError naming ``source`` when bad."""
    items = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(items, list):
        msg = f"{source}: expected a mapping with a 'rules' list"
        raise _bad_file(msg)
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        value = item.get("value") if isinstance(item, dict) else None
        tag = item.get("tag") if isinstance(item, dict) else None
        if not isinstance(value, str) or not value.strip():
            msg = f"{source}: rules[{index}] needs a non-empty 'value'"
            raise _bad_file(msg)
        if tag is not None and not isinstance(tag, str):
            msg = f"{source}: rules[{index}].tag must be text"
            raise _bad_file(msg)
        value = " ".join(value.split())
        if len(value) > MAX_RULE_CHARS:
            msg = (
                f"{source}: rules[{index}] has {len(value)} characters (X allows {MAX_RULE_CHARS})"
            )
            raise _bad_file(msg)
        if value in seen:
            msg = f"{source}: rules[{index}] repeats the value {value!r}"
            raise _bad_file(msg)
        seen.add(value)
        rules.append(Rule(value, tag))
    return rules


def load_rules(path: Path) -> list[Rule]:
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        reason, detail = "unreadable_file", f"{path}: {exc.strerror or exc}"
        raise InputError(reason, detail) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        reason, detail = "invalid_rules_file", f"{path}: not YAML ({exc})"
        raise InputError(reason, detail) from exc
    return parse_rules(data, str(path))


def plan_sync(wanted: Sequence[Rule], live: Iterable[LiveRule]) -> SyncPlan:
    """What to delete and add so the live rules become exactly ``wanted``."""
    want = set(wanted)
    keep: list[LiveRule] = []
    delete: list[LiveRule] = []
    for rule in live:
        (keep if rule.rule in want else delete).append(rule)
    kept = {r.rule for r in keep}
    return SyncPlan(tuple(r for r in wanted if r not in kept), tuple(delete), tuple(keep))


# --- the HTTP client --------------------------------------------------------------------------


def bearer_headers(settings: Settings) -> dict[str, str]:
    if settings.x_bearer_token is None or not settings.x_bearer_token.get_secret_value():
        msg = (
            "TWEETPULSE_X_BEARER_TOKEN is not set. Operator action: create an app bearer token "
            "in the X developer portal and put it in the environment or .env."
        )
        raise ConfigError(msg)
    return {"Authorization": f"Bearer {settings.x_bearer_token.get_secret_value()}"}


def api_error(what: str, response: httpx.Response) -> ServiceError:
    """A ServiceError with X's status and error titles (never the request headers)."""
    detail = ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        errors = body.get("errors") or [body]
        parts = [
            str(e.get("title") or e.get("message") or e.get("detail") or "")
            for e in errors
            if isinstance(e, dict)
        ]
        detail = "; ".join(p for p in parts if p)
    hint = ""
    if response.status_code in (401, 403):
        hint = " Operator action: check TWEETPULSE_X_BEARER_TOKEN and the app's access level."
    msg = f"X API {what} failed: HTTP {response.status_code} {detail}".rstrip() + "." + hint
    return ServiceError(msg)


class RulesClient:
    """``GET``/``POST /2/tweets/search/stream/rules`` with the app bearer token."""

    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        import httpx

        self._headers = bearer_headers(settings)
        self._client = client or httpx.Client(base_url=settings.x_api_url, timeout=30.0)
        self._owned = client is None

    def close(self) -> None:
        if self._owned:
            self._client.close()

    def _call(self, what: str, method: str, **kwargs: Any) -> dict[str, Any]:
        import httpx

        try:
            response = self._client.request(method, RULES_PATH, headers=self._headers, **kwargs)
        except httpx.HTTPError as exc:
            msg = f"X API {what} failed: {type(exc).__name__} reaching {self._client.base_url}"
            raise ServiceError(msg) from None
        if response.status_code >= 300:
            raise api_error(what, response)
        body = response.json()
        if not isinstance(body, dict):
            msg = f"X API {what}: unexpected answer (not a JSON object)"
            raise ServiceError(msg)
        for error in body.get("errors") or []:
            log.warning("X API %s: %s", what, error)
        return body

    def live(self) -> list[LiveRule]:
        body = self._call("list rules", "GET")
        return [
            LiveRule(str(r["id"]), str(r["value"]), r.get("tag"))
            for r in body.get("data") or []
            if isinstance(r, dict) and "id" in r and "value" in r
        ]

    def add(self, rules: Sequence[Rule], *, dry_run: bool = False) -> list[LiveRule]:
        if not rules:
            return []
        payload = {"add": [{"value": r.value, **({"tag": r.tag} if r.tag else {})} for r in rules]}
        params = {"dry_run": "true"} if dry_run else {}
        body = self._call("add rules", "POST", json=payload, params=params)
        return [
            LiveRule(str(r["id"]), str(r["value"]), r.get("tag"))
            for r in body.get("data") or []
            if isinstance(r, dict) and "id" in r and "value" in r
        ]

    def delete(self, ids: Sequence[str], *, dry_run: bool = False) -> int:
        if not ids:
            return 0
        params = {"dry_run": "true"} if dry_run else {}
        body = self._call(
            "delete rules", "POST", json={"delete": {"ids": list(ids)}}, params=params
        )
        summary = (body.get("meta") or {}).get("summary") or {}
        return int(summary.get("deleted", len(ids)))

    def sync(self, wanted: Sequence[Rule], *, dry_run: bool = False) -> SyncPlan:
        plan = plan_sync(wanted, self.live())
        self.delete([r.id for r in plan.delete], dry_run=dry_run)
        self.add(plan.add, dry_run=dry_run)
        return plan
