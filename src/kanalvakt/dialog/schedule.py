"""The response target of a channel (ADR 0101); its watch schedule is registry.watch."""

from __future__ import annotations

from kanalvakt.core.clock import OSBY_DEFAULT_TARGET, ResponseTarget


def target_for_channel(channel) -> ResponseTarget:
    """The channel's own target if set and valid, else Osby's default (1 working day)."""
    from kanalvakt.dialog.models import ChannelDialogSettings

    text = (
        ChannelDialogSettings.objects.filter(channel=channel)
        .values_list("response_target", flat=True)
        .first()
    )
    if text:
        try:
            return ResponseTarget.parse(text)
        except ValueError:
            pass  # validated on save in the form; a stale bad value must not stop capture
    return OSBY_DEFAULT_TARGET
