"""Policy documents the guideline complements (R7.8); also carries the view permission."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyDocument(models.Model):
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="policy/", blank=True)
    applies_to = models.CharField(
        _("applies to"),
        max_length=200,
        blank=True,
        help_text=_("Where in Kanalvakt it is linked, e.g. 'plans'."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        permissions = [("view_compliance", _("Can see compliance with the guideline"))]

    def __str__(self):
        return self.title


class MonthlySnapshot(models.Model):
    """What the monthly report showed, so the next one can say what changed."""

    month = models.DateField(unique=True, help_text="First day of the reported month.")
    results = models.JSONField(default=dict)  # {channel id: {clause/check key: status}}
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"
