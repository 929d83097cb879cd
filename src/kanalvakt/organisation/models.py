"""Org units (förvaltning → verksamhet) and the people who work in them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("Administration (förvaltning)")
        ACTIVITY = "activity", _("Activity (verksamhet)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    website_url = models.URLField(_("page on the website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="orgunit_unique_name"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.ACTIVITY and self.parent_id is None:
            raise ValidationError({"parent": _("An activity belongs to an administration.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("An org unit cannot be part of itself.")})
            ancestor = ancestor.parent


class PersonQuerySet(models.QuerySet):
    def employed(self, on=None):
        on = on or timezone.localdate()
        return self.filter(models.Q(employment_end__isnull=True) | models.Q(employment_end__gte=on))


class Person(models.Model):
    """An employee or an elected official, linked to a login when they have one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), unique=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="people"
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("nearest manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    is_elected_official = models.BooleanField(
        _("elected official (förtroendevald)"),
        default=False,
        help_text=_("An elected official can never be responsible for a municipal account."),
    )
    employment_end = models.DateField(_("employment ends"), null=True, blank=True)
    # A manager away names a substitute who decides their staff's requests meanwhile.
    substitute = models.ForeignKey(
        "self",
        verbose_name=_("substitute while away"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substituting_for",
    )
    substitute_until = models.DateField(_("substitute until"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("access_staff_ui", _("Can use the staff interface"))]

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name

    @property
    def is_employed(self) -> bool:
        return self.employment_end is None or self.employment_end >= timezone.localdate()

    def clean(self):
        if self.manager_id and self.manager_id == self.pk:
            raise ValidationError({"manager": _("A person cannot be their own manager.")})
        if self.substitute_id and self.substitute_id == self.pk:
            raise ValidationError({"substitute": _("A person cannot be their own substitute.")})
