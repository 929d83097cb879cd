"""Validation of a channel's content: handle, purposes, people (R2.4) and the plan (R2.3)."""

from datetime import time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kanalvakt.registry.models import Channel, Platform, Purpose

PLAN_FIELDS = (
    "description",
    "purpose_and_goals",
    "target_group",
    "watched_weekdays",
    "watch_start",
    "watch_end",
    "check_interval_hours",
    "update_interval_days",
    "holiday_cover",
    "monitoring_notes",
    "high_traffic",
)


def validate_handle(platform: Platform, handle: str, *, exclude_pk=None) -> str:
    """The handle's key for uniqueness; errors are the `handle` field's, so forms show them
    next to it."""
    try:
        platform.validate_handle(handle)
    except ValidationError as exc:
        raise ValidationError({"handle": exc.messages}) from None
    key = platform.normalise_handle(handle)
    clash = Channel.objects.filter(platform=platform, handle_key=key).exclude(pk=exclude_pk)
    existing = clash.first()
    if existing:
        raise ValidationError(
            {
                "handle": _(
                    "%(platform)s account %(handle)s is already registered (%(name)s, %(status)s)."
                )
                % {
                    "platform": platform.name,
                    "handle": handle,
                    "name": existing.display_name,
                    "status": existing.get_status_display().lower(),
                }
            }
        )
    return key


def validate_purposes(purposes) -> list[str]:
    values = list(dict.fromkeys(purposes or []))
    unknown = [p for p in values if p not in Purpose.values]
    if not values or unknown:
        raise ValidationError(_("Choose at least one of the guideline's purposes."))
    return values


def validate_people(responsible, deputies) -> None:
    """At least one deputy besides the responsible person; no elected official (R2.4);
    nobody who has left."""
    deputies = list(deputies)
    if responsible is None:
        raise ValidationError(_("The account needs a responsible person."))
    if not [d for d in deputies if d.pk != responsible.pk]:
        raise ValidationError(
            _("The account needs at least one deputy besides the responsible person.")
        )
    elected = [p.name for p in [responsible, *deputies] if p.is_elected_official]
    if elected:
        raise ValidationError(
            _(
                "%(names)s is an elected official and cannot be responsible for or deputy of "
                "an account with the municipality as sender. Politicians use their party's "
                "channels, which the municipality can link to."
            )
            % {"names": ", ".join(elected)}
        )
    gone = [p.name for p in [responsible, *deputies] if not p.is_employed]
    if gone:
        raise ValidationError(_("%(names)s is no longer employed.") % {"names": ", ".join(gone)})


def validate_plan(data: dict) -> dict:
    """Every part of the activity plan is required (R2.3); returns the cleaned parts."""
    errors = {}
    cleaned = {}
    for field in ("description", "purpose_and_goals", "target_group", "holiday_cover"):
        value = (data.get(field) or "").strip()
        if not value:
            errors[field] = _("This part of the activity plan is required.")
        cleaned[field] = value
    weekdays = sorted({int(d) for d in data.get("watched_weekdays") or []})
    if not weekdays or any(d < 0 or d > 6 for d in weekdays):
        errors["watched_weekdays"] = _("Choose the weekdays the account is watched.")
    cleaned["watched_weekdays"] = weekdays
    start, end = data.get("watch_start"), data.get("watch_end")
    if not isinstance(start, time) or not isinstance(end, time):
        errors["watch_start"] = _("Give the hours the account is watched.")
    elif start >= end:
        errors["watch_end"] = _("The watch must end after it starts.")
    cleaned["watch_start"], cleaned["watch_end"] = start, end
    for field, low, high in (("check_interval_hours", 1, 168), ("update_interval_days", 1, 365)):
        try:
            value = int(data.get(field))
        except (TypeError, ValueError):
            value = None
        if value is None or not low <= value <= high:
            errors[field] = _("Give a whole number from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
        cleaned[field] = value
    cleaned["monitoring_notes"] = (data.get("monitoring_notes") or "").strip()
    cleaned["high_traffic"] = bool(data.get("high_traffic"))
    if errors:
        raise ValidationError(errors)
    return cleaned


def plan_is_complete(plan) -> bool:
    if plan is None:
        return False
    try:
        validate_plan({f: getattr(plan, f) for f in PLAN_FIELDS})
    except ValidationError:
        return False
    return True
