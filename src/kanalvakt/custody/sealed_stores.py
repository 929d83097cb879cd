"""Everything sealed with the custody key, so `custody rotate-key` re-wraps all of it.

Each app that seals secrets with custody's key-encryption key (deposits here, platform
access tokens in capture) registers a SealedStore; rotation walks every store before old
key versions are retired, so retiring never strands a secret."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SealedStore:
    name: str
    # rows(current_kek_id) -> rows sealed under another key version, locked for update
    stale_rows: Callable[[str], Iterable]
    count_current: Callable[[str], int]
    sealed_of: Callable  # row -> SealedSecret
    save_wrapped: Callable  # (row, SealedSecret) -> None


STORES: dict[str, SealedStore] = {}


def register(store: SealedStore) -> SealedStore:
    STORES[store.name] = store
    return store


def _deposits() -> SealedStore:
    from kanalvakt.custody.models import Deposit

    return SealedStore(
        name="deposit",
        stale_rows=lambda current: (
            Deposit.objects.sealed().select_for_update().exclude(kek_id=current)
        ),
        count_current=lambda current: Deposit.objects.sealed().filter(kek_id=current).count(),
        sealed_of=lambda row: row.sealed_secret(),
        save_wrapped=lambda row, sealed: Deposit.objects.filter(pk=row.pk).update(
            wrapped_data_key=sealed.wrapped_data_key, kek_id=sealed.kek_id
        ),
    )
