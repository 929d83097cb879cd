"""Which archived items may be shown to the public (R7.2, R7.3, R7.5).

One queryset filter for every public surface (search, record pages, feeds), so a rule
cannot be forgotten in one of them. It fails closed: an item is public only when it is a
public record of a public kind and nothing withholds it.

Configurable in Django settings (Osby's defaults in brackets):
  ARCHIVE_PUBLIC_KINDS            kinds ever shown [post, comment, reply]; direct
                                  messages are one person's contact with the
                                  municipality and never published
  ARCHIVE_SHOW_RECEIVED_PUBLICLY  also show received (inkommen) comments [True]: they
                                  were published by their writers on the municipality's
                                  own channel
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from kanalvakt.archive.models import Item, ItemKind, PublicRecordStatus

DEFAULT_PUBLIC_KINDS = (ItemKind.POST, ItemKind.COMMENT, ItemKind.REPLY)
# Moderation decisions that leave an item visible; anything else (and an open case,
# awaiting a decision) withholds it.
_VISIBLE_DECISIONS = ("keep", "keep_and_forward")


def public_kinds() -> tuple[str, ...]:
    kinds = getattr(settings, "ARCHIVE_PUBLIC_KINDS", DEFAULT_PUBLIC_KINDS)
    return tuple(k for k in kinds if k != ItemKind.DIRECT_MESSAGE)


def show_received_publicly() -> bool:
    return bool(getattr(settings, "ARCHIVE_SHOW_RECEIVED_PUBLICLY", True))


def public_q(prefix: str = "") -> Q:
    """The rules as a condition on Item, or on a model reaching Item through ``prefix``
    (e.g. ``"item__"``): a join on the primary key, cheaper than an ``IN`` subquery.
    Only settings may vary it, never the clock: public_content_hash compiles it once."""
    statuses = [PublicRecordStatus.DRAWN_UP]
    if show_received_publicly():
        statuses.append(PublicRecordStatus.RECEIVED)
    condition = Q(
        **{
            f"{prefix}public_record_status__in": statuses,
            f"{prefix}kind__in": public_kinds(),
            # removed: by its writer or by moderation
            f"{prefix}deleted_on_platform_at__isnull": True,
            f"{prefix}hidden_on_platform": False,
            # disposed of under a retention rule (R7.1): only a tombstone is left
            f"{prefix}tombstone__isnull": True,
        }
    )
    item_ref = f"{prefix}pk" if prefix else "pk"
    withheld = _moderation_withheld(item_ref)
    condition = condition & ~withheld if withheld is not None else condition
    return condition & ~_registered_confidential(item_ref)


def public_items(queryset: QuerySet[Item] | None = None) -> QuerySet[Item]:
    """Only the items the public may see, from ``queryset`` (default: all items)."""
    queryset = Item.objects.all() if queryset is None else queryset
    return queryset.filter(public_q())


def is_public(item: Item) -> bool:
    return public_content_hash(item.pk) is not None


_ITEM_ID_SLOT = -918_273_645  # stands for the item id in the compiled lookup


def public_content_hash(item_id: int) -> str | None:
    """The item's content hash if the public may see it, else None. Asked on every public
    record page: Django needs ~2 ms to build and compile the rules' query (three EXISTS),
    ten times the query itself, so the SQL is compiled once per rule settings and database
    and run with the item id as its parameter."""
    sql, params, slot = _compiled_lookup(
        connection.vendor, public_kinds(), show_received_publicly()
    )
    params = list(params)
    params[slot] = item_id
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


@lru_cache(maxsize=8)
def _compiled_lookup(vendor: str, kinds: tuple[str, ...], received: bool):
    query = public_items(Item.objects.filter(pk=_ITEM_ID_SLOT)).values_list("content_hash")
    sql, params = query.query.sql_with_params()
    return sql, tuple(params), params.index(_ITEM_ID_SLOT)


def _moderation_withheld(item_ref: str) -> Q | None:
    try:  # moderation is an optional neighbour; without it nothing is withheld by it
        from kanalvakt.moderation.models import ModerationCase
    except ImportError:
        return None
    cases = ModerationCase.objects.filter(item=OuterRef(item_ref)).exclude(
        state=ModerationCase.State.DECIDED, decision__in=_VISIBLE_DECISIONS
    )
    return Q(Exists(cases))


def _registered_confidential(item_ref: str) -> Q:
    # Registered to a case with a confidentiality mark (OSL): withheld from the public (R7.6).
    from kanalvakt.records.registration import confidential_items_q

    return confidential_items_q(item_ref)


def visibility_version() -> str:
    """A value that changes whenever what the public may see can have changed: any audited
    change (moderation decisions, confidential registrations, disposals, hides) and any new
    moderation case (screening withholds an item at once, without a person). For keying
    cached public pages; each part is one index lookup."""
    from kanalvakt.audit.log import latest_sequence
    from kanalvakt.moderation.models import ModerationCase

    newest_case = ModerationCase.objects.aggregate(newest=Max("pk"))["newest"]
    return f"{latest_sequence()}.{newest_case or 0}"
