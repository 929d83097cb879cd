"""The public archive (R7.3): search at sok/ and one stable page per record at
handling/<id>/. Plain GET forms and links: it works without JavaScript. Only items that
public_rules allows are ever found or shown; anything else is a 404, as if it did not exist.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kanalvakt.archive.models import Item
from kanalvakt.archive.public_rules import public_items
from kanalvakt.archive.search import SearchFilters, search
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


def _channels():
    # Only channels that have public items are offered as a filter.
    ids = public_items().values("channel_id").distinct()
    return Channel.objects.filter(pk__in=ids).order_by("display_name")


@public
@require_safe
def search_page(request):
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
        "channels": _channels(),
        "searched": searched,
        "page": page,
        "next_query": next_params.urlencode() if next_params else "",
        "continued": bool(request.GET.get("efter")),
    }
    return render(request, "archive/search.html", context)


@public
@require_safe
def record_page(request, item_id: int):
    item = public_items(Item.objects.select_related("channel")).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return render(request, "archive/record.html", {**municipality_context(), "item": item})
