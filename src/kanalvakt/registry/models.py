"""Official accounts (channels), their platforms, activity plans and workflow records."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisation.models import OrgUnit, Person


class Platform(models.Model):
    """A social medium as data (R1.1): new ones are added by the admin, not in code."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    url_template = models.CharField(
        _("URL template"),
        max_length=300,
        blank=True,
        help_text=_(
            "The account's public address with {handle}, e.g. https://www.instagram.com/{handle}/"
        ),
    )
    handle_pattern = models.CharField(
        _("allowed handle (regular expression)"), max_length=300, default=r"^.{1,200}$"
    )
    handle_rule = models.CharField(
        _("handle rule in words"),
        max_length=300,
        help_text=_(
            "Shown when a handle is refused, e.g. 'Instagram-namn får bara innehålla "
            "bokstäver a–z, siffror, punkt och understreck, högst 30 tecken.'"
        ),
    )
    handle_case_sensitive = models.BooleanField(_("handles are case-sensitive"), default=False)
    max_post_length = models.PositiveIntegerField(
        _("longest post (characters)"), null=True, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    enabled = models.BooleanField(_("can be chosen for new accounts"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        permissions = [("manage_platforms", _("Can edit the list of platforms"))]

    def __str__(self):
        return self.name

    def clean(self):
        try:
            re.compile(self.handle_pattern)
        except re.error as exc:
            raise ValidationError({"handle_pattern": str(exc)}) from None
        if self.url_template and "{handle}" not in self.url_template:
            raise ValidationError({"url_template": _("The template must contain {handle}.")})

    def normalise_handle(self, handle: str) -> str:
        handle = handle.strip().removeprefix("@")
        return handle if self.handle_case_sensitive else handle.lower()

    def validate_handle(self, handle: str) -> None:
        value = handle.strip().removeprefix("@")
        if not value or not re.fullmatch(self.handle_pattern, value):
            raise ValidationError(self.handle_rule)

    def url_for(self, handle: str) -> str:
        return self.url_template.format(handle=handle.strip().removeprefix("@"))


class Purpose(models.TextChoices):
    """The guideline's purposes (R1.3)."""

    COMMUNICATE = "communicate", _("Communicate with citizens and the world")
    CIVIC_DIALOGUE = "civic_dialogue", _("Widen civic democracy (dialogue)")
    NEW_AUDIENCES = "new_audiences", _("Reach new audiences")
    MARKETING = "marketing", _("Market Osby")


class ChannelQuerySet(models.QuerySet):
    def listed(self):
        """What the public directory shows: active official channels."""
        return self.filter(status=Channel.Status.ACTIVE)

    def answered_by(self, person):
        return self.filter(models.Q(responsible=person) | models.Q(deputies=person)).distinct()


class Channel(models.Model):
    """An official account of the municipality on a platform."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        REJECTED = "rejected", _("Rejected")
        APPROVED = "approved", _("Approved")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    platform = models.ForeignKey(Platform, verbose_name=_("platform"), on_delete=models.PROTECT)
    handle = models.CharField(_("account name (handle)"), max_length=200)
    handle_key = models.CharField(max_length=200, editable=False)
    url = models.URLField(_("address"), max_length=500)
    display_name = models.CharField(_("display name"), max_length=200)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owning org unit"),
        on_delete=models.PROTECT,
        related_name="channels",
    )
    requested_by = models.ForeignKey(
        Person,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="channel_requests",
    )
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("responsible (kontoansvarig)"),
        on_delete=models.PROTECT,
        related_name="channels_responsible",
    )
    deputies = models.ManyToManyField(
        Person, verbose_name=_("deputies"), related_name="channels_deputy"
    )
    purposes = models.JSONField(_("purposes"), default=list)
    follows_graphic_profile = models.BooleanField(_("follows the graphic profile"), default=False)
    graphic_profile_note = models.CharField(_("graphic profile note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.REQUESTED,
        db_index=True,
        editable=False,
    )
    status_changed_at = models.DateTimeField(
        _("status changed"), default=timezone.now, editable=False
    )
    responsible_since = models.DateTimeField(
        _("responsible since"), default=timezone.now, editable=False
    )
    last_own_post_at = models.DateTimeField(_("last own post"), null=True, blank=True)
    website_linked = models.BooleanField(_("linked from the website"), null=True, editable=False)
    website_link_checked_at = models.DateTimeField(null=True, editable=False)
    website_link_found_on = models.URLField(max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "handle_key"], name="channel_unique_platform_handle"
            ),
        ]
        permissions = [
            ("request_channel", _("Can request a new account")),
            ("decide_request", _("Can approve or reject account requests")),
            ("record_consultation", _("Can record the communicator's consultation")),
            ("activate_channel", _("Can activate, pause and close accounts")),
            ("change_activityplan", _("Can change activity plans")),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.platform.name})"

    def save(self, *args, **kwargs):
        # The status moves only through kanalvakt.registry.workflow (a conditional UPDATE),
        # so no form, admin page or script can skip a step of the approval workflow.
        stored = getattr(self, "_stored_status", None)
        if self._state.adding and self.status != self.Status.REQUESTED:
            raise ValidationError("A channel starts as requested; use the workflow.")
        if not self._state.adding and stored is not None and self.status != stored:
            raise ValidationError("A channel's status changes only through the workflow.")
        self.handle_key = self.platform.normalise_handle(self.handle)
        super().save(*args, **kwargs)
        self._stored_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    # Object-level access (kanalvakt.organisation.access)
    def answerable_person_ids(self) -> set[int]:
        return {self.responsible_id, *self.deputies.values_list("pk", flat=True)}

    def person_ids_for(self, permission: str) -> set[int]:
        if permission == "registry.decide_request":
            return approver_ids(self.requested_by)
        return self.answerable_person_ids()

    def current_plan(self):
        return self.plan_versions.order_by("-version").first()

    @property
    def is_listed(self) -> bool:
        return self.status == self.Status.ACTIVE


def approver_ids(requester: Person) -> set[int]:
    """Who may decide a request (R2.1): the requester's nearest manager, or the manager's
    substitute while one is set."""
    manager = requester.manager
    if manager is None:
        return set()
    ids = {manager.pk}
    if manager.substitute_id and (
        manager.substitute_until is None or manager.substitute_until >= timezone.localdate()
    ):
        ids.add(manager.substitute_id)
    return ids


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ActivityPlanVersion(models.Model):
    """One version of a channel's activity plan (R2.3). Never edited: a change is a new
    version, so the history shows who changed what and when."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="plan_versions")
    version = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    author_label = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    # Beskrivning av aktiviteten och vilket socialt medium det handlar om
    description = models.TextField(_("description of the activity and the medium"))
    # Syfte och mål med aktiviteten
    purpose_and_goals = models.TextField(_("purpose and goals"))
    # Vilken är målgruppen?
    target_group = models.TextField(_("target group"))
    # Hur och när ska övervakning och uppdatering skötas (structured: the response-time
    # clock and the inactivity check read it)
    watched_weekdays = models.JSONField(_("weekdays watched"), default=list)
    watch_start = models.TimeField(_("watched from"))
    watch_end = models.TimeField(_("watched until"))
    check_interval_hours = models.PositiveSmallIntegerField(_("checked every (hours)"))
    update_interval_days = models.PositiveSmallIntegerField(_("new post at least every (days)"))
    holiday_cover = models.CharField(_("who covers holidays and absences"), max_length=300)
    monitoring_notes = models.TextField(_("more about monitoring and updating"), blank=True)
    high_traffic = models.BooleanField(_("high traffic (captured every minute)"), default=False)

    class Meta:
        ordering = ["channel", "-version"]
        verbose_name = _("activity plan version")
        verbose_name_plural = _("activity plan versions")
        constraints = [
            models.UniqueConstraint(fields=["channel", "version"], name="plan_unique_version"),
        ]

    def __str__(self):
        return f"{self.channel} v{self.version}"


class Approval(models.Model):
    """The nearest manager's decision on a request (R2.1)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.get_decision_display()}: {self.channel_id}"


class Consultation(models.Model):
    """The communicator's consultation (R2.2)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="consultations")
    communicator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    advice = models.TextField()
    consulted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-consulted_at"]

    def __str__(self):
        return f"Consultation {self.channel_id} {self.consulted_at:%Y-%m-%d}"


class StatusChange(models.Model):
    """The channel's lifecycle history; closing keeps all of it."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, blank=True, choices=Channel.Status.choices)
    to_status = models.CharField(max_length=20, choices=Channel.Status.choices)
    actor_label = models.CharField(max_length=300)
    comment = models.TextField(blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class ChannelFlag(models.Model):
    """Something wrong with a channel that someone must fix (open until resolved)."""

    class Kind(models.TextChoices):
        ELECTED_OFFICIAL = "elected_official", _("An elected official answers for the account")
        PERSON_LEFT = "person_left", _("A person answering for the account has left")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    detail = models.CharField(max_length=500)
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["channel", "resolved_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.detail}"


class LinkedChannel(models.Model):
    """A politician's or party's own channel, linked from the website as NOT the
    municipality's (R2.5). Kept apart from Channel so it can never pass for an official one."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT)
    url = models.URLField(max_length=500)
    title = models.CharField(_("title"), max_length=200)
    owner = models.CharField(
        _("whose channel"), max_length=200, help_text=_("The politician or party that runs it.")
    )
    listed = models.BooleanField(_("listed"), default=True)

    class Meta:
        ordering = ["owner", "title"]
        verbose_name = _("linked party channel")
        verbose_name_plural = _("linked party channels")

    def __str__(self):
        return f"{self.title} ({self.owner})"


class WebsitePage(models.Model):
    """A page of the municipality's website that should link to the channels (R6.1)."""

    url = models.URLField(_("address"), max_length=500, unique=True)
    last_checked_at = models.DateTimeField(null=True, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("website page")
        verbose_name_plural = _("website pages")

    def __str__(self):
        return self.url
