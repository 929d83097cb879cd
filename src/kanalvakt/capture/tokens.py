"""Platform access tokens, sealed with custody's envelope encryption (purpose
"platform-token", associated data naming the connection and the token's version)."""

from __future__ import annotations

from django.views.decorators.debug import sensitive_variables

from kanalvakt.custody import crypto
from kanalvakt.custody.keys import get_key_provider


def key_provider():
    """Custody's provider; the key file may be created only while nothing depends on it."""
    from kanalvakt.capture.models import ChannelConnection
    from kanalvakt.custody.models import Deposit

    in_use = Deposit.objects.sealed().exists() or ChannelConnection.objects.with_token().exists()
    return get_key_provider(allow_create=not in_use)


@sensitive_variables()
def seal_token(connection, token: str) -> None:
    """Seal ``token`` into the connection's columns as a new version (caller saves)."""
    connection.token_version += 1
    sealed = crypto.seal(token.encode("utf-8"), connection.token_aad(), key_provider())
    connection.store_sealed_token(sealed)


@sensitive_variables()
def open_token(connection) -> str:
    """The token, or a custody error (never a wrong plaintext)."""
    opened = crypto.open_sealed(connection.sealed_token(), connection.token_aad(), key_provider())
    return opened.reveal_text()


def sealed_store():
    """Platform tokens as a custody SealedStore, so key rotation re-wraps them."""
    from kanalvakt.capture.models import ChannelConnection
    from kanalvakt.custody.sealed_stores import SealedStore

    def save(row, sealed):
        ChannelConnection.objects.filter(pk=row.pk).update(
            token_wrapped_data_key=sealed.wrapped_data_key, token_kek_id=sealed.kek_id
        )

    with_token = ChannelConnection.objects.with_token
    return SealedStore(
        name="platform-token",
        stale_rows=lambda current: with_token().select_for_update().exclude(token_kek_id=current),
        count_current=lambda current: with_token().filter(token_kek_id=current).count(),
        sealed_of=lambda row: row.sealed_token(),
        save_wrapped=save,
    )
