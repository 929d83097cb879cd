from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from kanalvakt.core.page_cache import shared_page
from kanalvakt.core.views_access import public
from kanalvakt.public import directory as listing
from kanalvakt.public.municipality import municipality_context


@public
def start(request):
    return render(request, "public/start.html", municipality_context())


@public
def accessibility(request):
    return render(request, "public/accessibility.html", municipality_context())


# The directory (R6.1, R1.2, R2.5). Clients may keep a copy but must revalidate it
# ("no-cache"): with the ETag that costs a 304, and a closed account disappears at once.


def _conditional(request, etag: str, cached, build, *, shared: bool) -> HttpResponse:
    modified = int(cached.modified.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        response = build()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = "public, no-cache" if shared else "no-cache"
    if shared:
        # Public data for other sites' pages and scripts; no cookies are read or set.
        response["Access-Control-Allow-Origin"] = "*"
    return response


def _directory_page(request, fragment) -> HttpResponse:
    context = {
        **municipality_context(),
        "directory_list": mark_safe(fragment.body),  # noqa: S308 - our own template output
    }
    if request.META.get("QUERY_STRING"):  # rare; not worth a cache entry per query string
        return render(request, "public/directory.html", context)
    key = f"directory:{fragment.etag}"
    template = "public/directory.html"
    return shared_page(request, template, key, listing.CACHE_SECONDS, lambda: context)


@public
@require_safe
def directory(request):
    version = listing.current_version()
    fragment = listing.directory_fragment(version)
    # Weak: the bytes differ per visitor by the CSRF token, the content does not.
    etag = f'W/"{fragment.etag}-{get_language()}"'
    return _conditional(
        request, etag, fragment, lambda: _directory_page(request, fragment), shared=False
    )


@public
@require_safe
def directory_json(request):
    cached = listing.directory_json(listing.current_version())
    return _conditional(
        request,
        quote_etag(cached.etag),
        cached,
        lambda: HttpResponse(cached.body, content_type="application/json"),
        shared=True,
    )


@public
@require_safe
def directory_embed(request):
    """An HTML fragment (no <html>, no scripts, no styles) for the website to include
    server-side or fetch with CORS. ?level=2..5 sets the top heading level, ?lang=sv|en."""
    languages = {code for code, _name in settings.LANGUAGES}
    language = request.GET.get("lang")
    if language not in languages:
        language = get_language()
    try:
        level = int(request.GET.get("level", 2))
    except ValueError:
        level = 2
    if level not in listing.HEADING_LEVELS:
        level = 2
    cached = listing.embed_fragment(listing.current_version(), level=level, language=language)
    response = _conditional(
        request,
        quote_etag(cached.etag),
        cached,
        lambda: HttpResponse(cached.body, content_type="text/html; charset=utf-8"),
        shared=True,
    )
    response["Content-Language"] = language
    return response
