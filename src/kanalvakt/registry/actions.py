"""Use cases of the channel registry. Each checks permission, changes, audits, notifies."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.log import plain
from kanalvakt.core.actions import action
from kanalvakt.core.notify import notify
from kanalvakt.organisation.access import person_of
from kanalvakt.organisation.models import Person
from kanalvakt.organisation.roles import Role
from kanalvakt.registry import rules, workflow
from kanalvakt.registry.activation import activation_blockers
from kanalvakt.registry.models import (
    ActivityPlanVersion,
    Approval,
    Channel,
    ChannelFlag,
    Consultation,
    approver_ids,
)

DETAIL_FIELDS = (
    "display_name",
    "url",
    "org_unit",
    "purposes",
    "follows_graphic_profile",
    "graphic_profile_note",
    "last_own_post_at",
)


class ActivationRefused(ValidationError):
    def __init__(self, blockers):
        self.blockers = blockers
        super().__init__([b.message for b in blockers])


def people_in_role(role: Role):
    return Person.objects.filter(user__groups__name=role.value, user__is_active=True).distinct()


def _new_plan_version(ctx, channel, cleaned: dict) -> ActivityPlanVersion:
    current = channel.current_plan()
    user = None if getattr(ctx.actor, "is_system", False) else ctx.actor
    return ActivityPlanVersion.objects.create(
        channel=channel,
        version=(current.version + 1) if current else 1,
        author=user,
        author_label=ctx.actor_label,
        **cleaned,
    )


@action("registry.channel.request", permission="registry.request_channel")
def request_channel(
    ctx,
    *,
    platform,
    handle,
    display_name,
    org_unit,
    responsible,
    deputies,
    purposes,
    plan: dict,
    url="",
    follows_graphic_profile=False,
    graphic_profile_note="",
    requested_by=None,
):
    requester = requested_by or person_of(ctx.actor)
    if requester is None:
        raise ValidationError(_("Only a person in the organisation can request an account."))
    if not approver_ids(requester):
        raise ValidationError(
            _(
                "%(name)s has no nearest manager registered, so nobody can "
                "approve the request. Ask the central office to add one."
            )
            % {"name": requester.name}
        )
    rules.validate_handle(platform, handle)
    rules.validate_people(responsible, deputies)
    cleaned_plan = rules.validate_plan(plan)
    channel = Channel(
        platform=platform,
        handle=handle.strip().removeprefix("@"),
        url=url or platform.url_for(handle),
        display_name=display_name,
        org_unit=org_unit,
        requested_by=requester,
        responsible=responsible,
        purposes=rules.validate_purposes(purposes),
        follows_graphic_profile=follows_graphic_profile,
        graphic_profile_note=graphic_profile_note,
    )
    channel.full_clean(
        exclude=["handle_key", "requested_by", "responsible", "org_unit", "platform"]
    )
    channel.save()
    channel.deputies.set([d for d in deputies if d.pk != responsible.pk])
    plan = _new_plan_version(ctx, channel, cleaned_plan)
    ctx.audit(
        channel,
        {
            "platform": platform.key,
            "handle": channel.handle,
            "responsible": responsible.pk,
            "plan_version": plan.version,
        },
    )
    approvers = Person.objects.filter(pk__in=approver_ids(requester))
    notify(
        approvers,
        _("Account request to decide: %(name)s") % {"name": channel},
        "registry/email/request_to_manager.txt",
        {"channel": channel, "requester": requester},
    )
    return channel


@action("registry.channel.decide", permission="registry.decide_request", target="channel")
def decide_request(ctx, channel, *, approve: bool, comment=""):
    approver = person_of(ctx.actor)
    if approve:
        rules.validate_people(channel.responsible, channel.deputies.all())
    elif not comment.strip():
        raise ValidationError(_("Say why the request is rejected."))
    workflow.transition(
        channel, "approve" if approve else "reject", actor_label=ctx.actor_label, comment=comment
    )
    decision = Approval.Decision.APPROVED if approve else Approval.Decision.REJECTED
    Approval.objects.create(channel=channel, approver=approver, decision=decision, comment=comment)
    ctx.audit(channel, {"decision": decision, "comment": comment})
    notify(
        [channel.requested_by, channel.responsible],
        _("Your account request was %(decision)s")
        % {"decision": Approval.Decision(decision).label.lower()},
        "registry/email/request_decided.txt",
        {"channel": channel, "decision": decision, "comment": comment, "approver": approver},
    )
    if approve:
        notify(
            people_in_role(Role.COMMUNICATOR),
            _("Consultation needed: %(name)s") % {"name": channel},
            "registry/email/consultation_needed.txt",
            {"channel": channel},
        )
    return channel


@action("registry.channel.resubmit", permission="registry.change_channel", target="channel")
def resubmit_request(ctx, channel, *, comment=""):
    workflow.transition(channel, "resubmit", actor_label=ctx.actor_label, comment=comment)
    ctx.audit(channel, {"comment": comment})
    notify(
        Person.objects.filter(pk__in=approver_ids(channel.requested_by)),
        _("Account request to decide: %(name)s") % {"name": channel},
        "registry/email/request_to_manager.txt",
        {"channel": channel, "requester": channel.requested_by},
    )
    return channel


@action("registry.channel.consult", permission="registry.record_consultation")
def record_consultation(ctx, channel, *, advice):
    if channel.status not in (Channel.Status.REQUESTED, Channel.Status.APPROVED):
        raise ValidationError(_("A consultation is recorded while the request is open."))
    if not advice.strip():
        raise ValidationError(_("Write down the advice given."))
    communicator = person_of(ctx.actor)
    if communicator is None:
        raise ValidationError(_("Only a person in the organisation can record advice."))
    Consultation.objects.create(channel=channel, communicator=communicator, advice=advice)
    ctx.audit(channel, {"advice": advice})
    if channel.status == Channel.Status.APPROVED:
        notify(
            people_in_role(Role.CENTRAL_OFFICE),
            _("Ready to activate: %(name)s") % {"name": channel},
            "registry/email/ready_to_activate.txt",
            {"channel": channel},
        )
    return channel


@action("registry.channel.activate", permission="registry.activate_channel")
def activate_channel(ctx, channel):
    if not workflow.allowed(channel, "activate"):
        workflow.transition(channel, "activate", actor_label=ctx.actor_label)  # raises why
    blockers = activation_blockers(channel)
    if blockers:
        raise ActivationRefused(blockers)
    workflow.transition(channel, "activate", actor_label=ctx.actor_label)
    ctx.audit(channel)
    notify(
        [channel.responsible, *channel.deputies.all()],
        _("The account %(name)s is active") % {"name": channel},
        "registry/email/activated.txt",
        {"channel": channel},
    )
    return channel


def _lifecycle_action(name, step):
    @action(f"registry.channel.{name}", permission="registry.activate_channel")
    def run(ctx, channel, *, comment=""):
        if step == "close" and not comment.strip():
            raise ValidationError(_("Say why the account is closed."))
        workflow.transition(channel, step, actor_label=ctx.actor_label, comment=comment)
        ctx.audit(channel, {"comment": comment})
        return channel

    return run


pause_channel = _lifecycle_action("pause", "pause")
resume_channel = _lifecycle_action("resume", "resume")
close_channel = _lifecycle_action("close", "close")


@action("registry.channel.update", permission="registry.change_channel", target="channel")
def update_channel(ctx, channel, **fields):
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    if "purposes" in fields:
        fields["purposes"] = rules.validate_purposes(fields["purposes"])
    before = {k: plain(getattr(channel, k)) for k in fields}
    for name, value in fields.items():
        setattr(channel, name, value)
    channel.full_clean(exclude=["handle_key"])
    channel.save()
    after = {k: plain(getattr(channel, k)) for k in fields}
    ctx.audit(channel, {"before": before, "after": after})
    return channel


@action("registry.channel.responsibility", permission="registry.change_channel", target="channel")
def change_responsibility(ctx, channel, *, responsible, deputies):
    deputies = [d for d in deputies if d.pk != responsible.pk]
    rules.validate_people(responsible, deputies)
    before = {
        "responsible": channel.responsible_id,
        "deputies": sorted(channel.deputies.values_list("pk", flat=True)),
    }
    if responsible.pk != channel.responsible_id:
        channel.responsible = responsible
        channel.responsible_since = timezone.now()
        channel.save()
    channel.deputies.set(deputies)
    resolve_flags(channel, [ChannelFlag.Kind.ELECTED_OFFICIAL, ChannelFlag.Kind.PERSON_LEFT])
    ctx.audit(
        channel,
        {
            "before": before,
            "after": {"responsible": responsible.pk, "deputies": sorted(d.pk for d in deputies)},
        },
    )
    return channel


@action("registry.plan.save", permission="registry.change_activityplan", target="channel")
def save_plan(ctx, channel, **plan):
    cleaned = rules.validate_plan(plan)
    current = channel.current_plan()
    if current and all(getattr(current, k) == v for k, v in cleaned.items()):
        raise ValidationError(_("Nothing in the plan changed."))
    version = _new_plan_version(ctx, channel, cleaned)
    Channel.objects.filter(pk=channel.pk).update(updated_at=timezone.now())
    ctx.audit(channel, {"plan_version": version.version})
    return version


def resolve_flags(channel, kinds) -> None:
    """Close flags whose cause is gone (called inside an audited action)."""
    people = [channel.responsible, *channel.deputies.all()]
    still = set()
    if any(p.is_elected_official for p in people):
        still.add(ChannelFlag.Kind.ELECTED_OFFICIAL)
    if any(not p.is_employed for p in people):
        still.add(ChannelFlag.Kind.PERSON_LEFT)
    channel.flags.filter(
        kind__in=[k for k in kinds if k not in still], resolved_at__isnull=True
    ).update(resolved_at=timezone.now())
