"""Auth0's two list styles: offset (`page`, `per_page`, `include_totals`) and checkpoint (`from`, `take`).

Offset lists return a bare array, or with `include_totals=true` the envelope
`{<key>: [...], "start", "limit", "total"}`; a page past the end is empty (auth0-python's pagers stop
on an empty page). Checkpoint lists (`from`/`take` without `page`/`per_page`, as auth0-python sends for
client grants and organizations) return `{<key>: [...], "next": "<id>"}`, with `next` left out on the
last page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from auth0_m2m.tenant.core.exceptions import InvalidQuery

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100


def _int(query: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    text = query.get(key)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise InvalidQuery(f"Query validation error: 'Expected type integer' on property {key}.") from None
    if not low <= value <= high:
        raise InvalidQuery(
            f"Query validation error: '{key} must be between {low} and {high}' on property {key}."
        )
    return value


def query_bool(query: Mapping[str, str], key: str) -> bool | None:
    """A boolean query parameter ("true"/"false"), None if absent."""
    text = query.get(key)
    if text is None or text == "":
        return None
    if text.lower() in {"true", "1"}:
        return True
    if text.lower() in {"false", "0"}:
        return False
    raise InvalidQuery(f"Query validation error: 'Expected type boolean' on property {key}.")


def paginate(
    items: list[dict[str, Any]],
    query: Mapping[str, str],
    key: str,
    *,
    checkpoint: bool = False,
    render: Callable[[dict[str, Any]], dict[str, Any]] = lambda obj: obj,
    id_key: str = "id",
) -> Any:
    """Apply Auth0's pagination to `items` (already filtered, in creation order)."""
    wants_checkpoint = ("from" in query or "take" in query) and not ("page" in query or "per_page" in query)
    if checkpoint and wants_checkpoint:
        take = _int(query, "take", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
        start = 0
        if query.get("from"):
            ids = [obj[id_key] for obj in items]
            if query["from"] not in ids:
                raise InvalidQuery("Query validation error: 'from' is not a valid checkpoint.")
            start = ids.index(query["from"])
        page_items = items[start : start + take]
        body: dict[str, Any] = {key: [render(obj) for obj in page_items]}
        if start + take < len(items):
            body["next"] = items[start + take][id_key]
        return body
    per_page = _int(query, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    page = _int(query, "page", 0, 0, 1_000_000)
    start = page * per_page
    rendered = [render(obj) for obj in items[start : start + per_page]]
    if query_bool(query, "include_totals"):
        return {key: rendered, "start": start, "limit": per_page, "total": len(items)}
    return rendered
