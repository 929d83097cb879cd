"""The public directory (R6.1): active official channels, and linked party channels kept
apart as not the municipality's (R2.5), as an HTML list, an embeddable fragment and JSON.

Fast and never stale: every request asks the database what the listing depends on
(`current_version`, two small queries: newest channel change and counts, and the few
linked party channels) and serves bytes cached under that version. An activation, pause or
close moves `Channel.updated_at` and the count of listed channels, so the next request
builds a new copy at once, in every server process. Renaming an org unit or a platform
does not change the version; it shows when the cached copy expires (CACHE_SECONDS).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from kanalvakt.public.municipality import municipality_context
from kanalvakt.registry.models import Channel, LinkedChannel, Platform

SCHEMA_VERSION = 1
CACHE_SECONDS = 600
HEADING_LEVELS = range(2, 6)  # the embed's top heading level: h2 … h5

# Columns of a listed linked party channel; read on every request (they are few) so that
# any edit of them changes the version.
LINKED_COLUMNS = ("pk", "title", "owner", "url", "platform__key", "platform__name")


@dataclass(frozen=True)
class Version:
    """What the directory's content depends on, read in two small queries."""

    key: str
    changed_at: datetime | None
    linked_rows: tuple = field(repr=False)


@dataclass(frozen=True)
class Cached:
    body: str
    etag: str  # a hash of the body: equal content, equal ETag, in every process
    modified: datetime  # when this process first built this exact content


def current_version() -> Version:
    # Plain SQL on purpose: this runs on every request, and building the same two queries
    # with the ORM costs about 1 ms of Python, twenty times the database's time.
    q = connection.ops.quote_name
    channels = q(Channel._meta.db_table)
    linked = q(LinkedChannel._meta.db_table)
    platforms = q(Platform._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MAX(updated_at), COUNT(*), "  # noqa: S608 - table names from _meta
            f"SUM(CASE WHEN status = %s THEN 1 ELSE 0 END) FROM {channels}",
            [Channel.Status.ACTIVE.value],
        )
        changed, total, listed = cursor.fetchone()
        cursor.execute(
            f"SELECT l.id, l.title, l.owner, l.url, p.{q('key')}, p.name "  # noqa: S608
            f"FROM {linked} l JOIN {platforms} p ON p.id = l.platform_id "
            "WHERE l.listed = %s ORDER BY l.owner, l.title, l.id",
            [True],
        )
        linked_rows = tuple(tuple(row) for row in cursor.fetchall())
    if isinstance(changed, str):  # SQLite returns text, in UTC
        changed = timezone.make_aware(parse_datetime(changed), UTC)
    fingerprint = repr((str(changed), total, listed, linked_rows))
    key = hashlib.sha256(fingerprint.encode()).hexdigest()[:24]
    return Version(key=key, changed_at=changed, linked_rows=linked_rows)


# ---------------------------------------------------------------------------- the data


@dataclass
class PlatformGroup:
    platform: object
    channels: list = field(default_factory=list)


@dataclass
class UnitGroup:
    org_unit: object
    platforms: list[PlatformGroup] = field(default_factory=list)

    @property
    def label(self) -> str:
        parent = self.org_unit.parent
        return f"{self.org_unit.name} ({parent.name})" if parent else self.org_unit.name


def listed_channels() -> list[Channel]:
    """Active official channels, with everything the listing shows, in one query."""
    return list(
        Channel.objects.listed()
        .select_related("platform", "org_unit", "org_unit__parent")
        .only(
            "pk",
            "handle",
            "url",
            "display_name",
            "platform__key",
            "platform__name",
            "platform__sort_order",
            "platform__url_template",
            "org_unit__name",
            "org_unit__website_url",
            "org_unit__parent__name",
        )
    )


def _unit_sort_key(org_unit) -> tuple:
    # An administration first, then its activities, so related units stay together.
    parent = org_unit.parent
    top = parent.name if parent else org_unit.name
    return (top.casefold(), parent is not None, org_unit.name.casefold(), org_unit.pk)


def group_channels(channels: list[Channel]) -> list[UnitGroup]:
    units: dict[int, UnitGroup] = {}
    for channel in channels:
        unit = units.setdefault(channel.org_unit_id, UnitGroup(channel.org_unit))
        by_platform = {g.platform.pk: g for g in unit.platforms}
        group = by_platform.get(channel.platform_id)
        if group is None:
            group = PlatformGroup(channel.platform)
            unit.platforms.append(group)
        group.channels.append(channel)
    for unit in units.values():
        unit.platforms.sort(key=lambda g: (g.platform.sort_order, g.platform.name.casefold()))
        for group in unit.platforms:
            group.channels.sort(key=lambda c: (c.display_name.casefold(), c.pk))
    return sorted(units.values(), key=lambda u: _unit_sort_key(u.org_unit))


def display_handle(channel: Channel) -> str:
    """How people write the account: @name, @name@server (Mastodon), or the address."""
    key, handle = channel.platform.key, channel.handle
    if key == "mastodon" and "/@" in handle:
        server, name = handle.split("/@", 1)
        return f"@{name}@{server}"
    if channel.platform.url_template.strip() == "{handle}":
        return channel.url.removeprefix("https://").removeprefix("http://").rstrip("/")
    return f"@{handle}"


def linked_channels(version: Version) -> list[dict]:
    return [dict(zip(LINKED_COLUMNS, row, strict=True)) for row in version.linked_rows]


def directory_url() -> str:
    return settings.SITE_URL + reverse("public:directory")


# ------------------------------------------------------------------------- the outputs


def _cached(cache_key: str, build) -> Cached:
    entry = cache.get(cache_key)
    if entry is None:
        body = build()
        etag = hashlib.sha256(body.encode()).hexdigest()[:32]
        modified = cache.get_or_set(f"directory:seen:{etag}", timezone.now(), None)
        entry = Cached(body=body, etag=etag, modified=modified)
        cache.set(cache_key, entry, CACHE_SECONDS)
    return entry


def _list_context(version: Version, *, level: int, embedded: bool) -> dict:
    channels = listed_channels()
    for channel in channels:
        channel.display_handle = display_handle(channel)
    return {
        **municipality_context(),
        "units": group_channels(channels),
        "linked_channels": linked_channels(version),
        "level": level,
        "sublevel": level + 1,
        "embedded": embedded,
        "directory_url": directory_url(),
    }


def directory_fragment(version: Version) -> Cached:
    """The list shown on the directory page (h2 per org unit, h3 per platform)."""
    language = translation.get_language()
    return _cached(
        f"directory:page:{language}:{version.key}",
        lambda: render_to_string(
            "public/_directory_list.html", _list_context(version, level=2, embedded=False)
        ),
    )


def embed_fragment(version: Version, *, level: int, language: str) -> Cached:
    """A self-contained HTML fragment for the municipality's website to include."""

    def build():
        with translation.override(language):
            return render_to_string(
                "public/embed.html", _list_context(version, level=level, embedded=True)
            )

    return _cached(f"directory:embed:{language}:{level}:{version.key}", build)


def directory_json(version: Version) -> Cached:
    """The documented, language-neutral JSON (docs/directory.md)."""
    return _cached(f"directory:json:{version.key}", lambda: _build_json(version))


def _build_json(version: Version) -> str:
    municipality = municipality_context()
    channels = sorted(
        listed_channels(),
        key=lambda c: (
            _unit_sort_key(c.org_unit),
            c.platform.sort_order,
            c.display_name.casefold(),
            c.pk,
        ),
    )
    data = {
        "schema": "kanalvakt-directory",
        "version": SCHEMA_VERSION,
        "updated_at": version.changed_at.isoformat() if version.changed_at else None,
        "municipality": {
            "name": municipality["municipality_name"],
            "website": municipality["municipality_website"],
        },
        "directory_url": directory_url(),
        "official_channels": [_channel_json(c) for c in channels],
        "linked_party_channels": [
            {
                "id": row["pk"],
                "official": False,
                "title": row["title"],
                "owner": row["owner"],
                "platform": {"key": row["platform__key"], "name": row["platform__name"]},
                "url": row["url"],
            }
            for row in linked_channels(version)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def _channel_json(channel: Channel) -> dict:
    unit = channel.org_unit
    return {
        "id": channel.pk,
        "official": True,
        "name": channel.display_name,
        "platform": {"key": channel.platform.key, "name": channel.platform.name},
        "handle": channel.handle,
        "url": channel.url,
        "org_unit": {
            "id": unit.pk,
            "name": unit.name,
            "parent": unit.parent.name if unit.parent else None,
            "website_url": unit.website_url or None,
        },
    }
