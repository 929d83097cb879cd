"""R2.4 after the fact: when a person becomes an elected official, or leaves, every channel
they answer for is flagged at once and the central office is told."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from kanalvakt.audit import log as audit_log
from kanalvakt.core.notify import notify
from kanalvakt.organisation.actions import person_status_changed
from kanalvakt.organisation.roles import Role
from kanalvakt.registry.models import Channel, ChannelFlag


@receiver(person_status_changed, dispatch_uid="registry-politician-rule")
def flag_channels_of_changed_person(sender, person, changed, actor, **kwargs):
    from kanalvakt.registry.actions import people_in_role

    kinds = []
    if "is_elected_official" in changed and person.is_elected_official:
        kinds.append(
            (
                ChannelFlag.Kind.ELECTED_OFFICIAL,
                _("%(name)s has become an elected official.") % {"name": person.name},
            )
        )
    if "employment_end" in changed and not person.is_employed:
        kinds.append(
            (
                ChannelFlag.Kind.PERSON_LEFT,
                _("%(name)s has left employment.") % {"name": person.name},
            )
        )
    if not kinds:
        return
    channels = list(Channel.objects.answered_by(person).exclude(status=Channel.Status.CLOSED))
    already_open = set(
        ChannelFlag.objects.filter(channel__in=channels, resolved_at__isnull=True).values_list(
            "channel_id", "kind"
        )
    )
    for channel in channels:
        for kind, detail in kinds:
            if (channel.pk, kind) not in already_open:
                flag = ChannelFlag.objects.create(channel=channel, kind=kind, detail=detail)
                # Runs inside the person update's audited transaction.
                audit_log.record(
                    actor,
                    "registry.channel.flag",
                    channel,
                    {"kind": kind, "detail": detail, "flag": flag.pk},
                )
    if channels:
        notify(
            people_in_role(Role.CENTRAL_OFFICE),
            _("Accounts need a new responsible person"),
            "registry/email/channels_flagged.txt",
            {"person": person, "channels": channels, "details": [d for _k, d in kinds]},
        )
