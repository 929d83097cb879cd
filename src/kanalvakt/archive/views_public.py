"""The public archive (R7.3): search at sok/ and one stable page per record at
handling/<id>/. Plain GET forms and links: it works without JavaScript. Only items that
public_rules allows are ever found or shown; anything else is a 404, as if it did not exist.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from kanalvakt.archive.models import Item
from kanalvakt.archive.public_rules import public_content_hash, public_items, visibility_version
from kanalvakt.archive.search import SearchFilters, search
from kanalvakt.archive.search_models import SearchEntry
from kanalvakt.core.page_cache import shared_page
from kanalvakt.core.views_access import public
from kanalvakt.public.municipality import municipality_context
from kanalvakt.registry.models import Channel

MAX_QUERY_LENGTH = 200


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _channels(state: str) -> list[dict]:
    """The accounts that have public items, for the filter: the same for every query, so
    kept per archive state rather than asked again (≈ 3 ms) for every new query."""
    key = f"public-channels:{state}"
    channels = cache.get(key)
    if channels is None:
        # One EXISTS per channel (stops at the first public item) rather than a scan.
        has_public = public_items().filter(channel=OuterRef("pk"))
        rows = Channel.objects.filter(Exists(has_public)).select_related("platform")
        channels = [
            {"pk": c.pk, "display_name": c.display_name, "platform": str(c.platform)}
            for c in rows.order_by("display_name")
        ]
        cache.set(key, channels, SEARCH_PAGE_SECONDS)
    return channels


# Result pages are the same for every visitor, so they are rendered once per query, per
# state of what the public may see (public_rules.visibility_version) and per newest indexed
# item. Texts edited on the platform show when the copy expires.
SEARCH_PAGE_SECONDS = 300


def _archive_state() -> str:
    newest = SearchEntry.objects.aggregate(newest=Max("item_id"))["newest"]
    return f"{visibility_version()}.{newest or 0}"


@public
@require_safe
def search_page(request):
    params = sorted(request.GET.lists())
    key = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    state = _archive_state()
    return shared_page(
        request,
        "archive/search.html",
        f"search:{state}:{key}",
        SEARCH_PAGE_SECONDS,
        lambda: _search_context(request, state),
    )


def _search_context(request, state: str):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    channel_id = _int(request.GET.get("kanal", ""))
    date_from = _date(request.GET.get("fran", ""))
    date_to = _date(request.GET.get("till", ""))
    searched = bool(query or channel_id or date_from or date_to)
    page = None
    if searched:
        filters = SearchFilters(
            channel_ids=[channel_id] if channel_id else [], date_from=date_from, date_to=date_to
        )
        page = search(query, filters, request.GET.get("efter") or None, public_only=True)
    next_params = None
    if page and page.next_cursor:
        next_params = request.GET.copy()
        next_params["efter"] = page.next_cursor
    context = {
        **municipality_context(),
        "query": query,
        "channel_id": channel_id,
        "date_from": date_from,
        "date_to": date_to,
        "channels": _channels(state),
        "searched": searched,
        "page": page,
        "next_query": next_params.urlencode() if next_params else "",
        "continued": bool(request.GET.get("efter")),
    }
    return context


@public
@require_safe
def record_page(request, item_id: int):
    content_hash = public_content_hash(item_id)
    if content_hash is None:
        raise Http404

    # Rendered once per version of the item's content; visibility was checked above.
    def context():
        item = get_object_or_404(Item.objects.select_related("channel"), pk=item_id)
        return {**municipality_context(), "item": item}

    key = f"record:{item_id}:{content_hash}"
    return shared_page(request, "archive/record.html", key, SEARCH_PAGE_SECONDS, context)
