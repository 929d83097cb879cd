"""Forms of the registry's staff pages. Validation that matters lives in rules/actions;
the forms only shape input and show errors next to the right field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisation.models import OrgUnit, Person
from kanalvakt.registry.models import WEEKDAYS, Platform, Purpose


def people():
    return Person.objects.employed().filter(is_elected_official=False).select_related("org_unit")


class PlanForm(forms.Form):
    description = forms.CharField(
        label=_("Description of the activity and the medium"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    purpose_and_goals = forms.CharField(
        label=_("Purpose and goals"), widget=forms.Textarea(attrs={"rows": 3})
    )
    target_group = forms.CharField(
        label=_("Target group"), widget=forms.Textarea(attrs={"rows": 2})
    )
    watched_weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays the account is watched"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    watch_start = forms.TimeField(
        label=_("Watched from"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    watch_end = forms.TimeField(
        label=_("Watched until"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    check_interval_hours = forms.IntegerField(
        label=_("Checked every … hours"), min_value=1, max_value=168
    )
    update_interval_days = forms.IntegerField(
        label=_("New post at least every … days"), min_value=1, max_value=365
    )
    holiday_cover = forms.CharField(label=_("Who covers holidays and absences"), max_length=300)
    monitoring_notes = forms.CharField(
        label=_("More about monitoring and updating"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    high_traffic = forms.BooleanField(
        label=_("High traffic: capture new comments every minute"), required=False
    )


class ChannelRequestForm(PlanForm):
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.filter(enabled=True)
    )
    handle = forms.CharField(
        label=_("Account name (handle)"),
        max_length=200,
        help_text=_("As on the platform, e.g. osbybibliotek."),
    )
    display_name = forms.CharField(label=_("Display name"), max_length=200)
    url = forms.URLField(
        label=_("Address"),
        required=False,
        assume_scheme="https",
        help_text=_("Leave empty to use the platform's usual address."),
    )
    org_unit = forms.ModelChoiceField(label=_("Owning org unit"), queryset=OrgUnit.objects.all())
    responsible = forms.ModelChoiceField(label=_("Responsible (kontoansvarig)"), queryset=people())
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies"), queryset=people(), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    follows_graphic_profile = forms.BooleanField(
        label=_("The account follows the graphic profile (profile picture, name form)"),
        required=False,
    )
    graphic_profile_note = forms.CharField(
        label=_("Note on the graphic profile"), required=False, max_length=300
    )

    field_order = [
        "platform",
        "handle",
        "display_name",
        "url",
        "org_unit",
        "responsible",
        "deputies",
        "purposes",
        "follows_graphic_profile",
        "graphic_profile_note",
    ]

    ACCOUNT_FIELDS = field_order
    PLAN_FIELDS = list(PlanForm.base_fields)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting."),
    )


class ConsultationForm(forms.Form):
    advice = forms.CharField(label=_("Advice given"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResponsibilityForm(forms.Form):
    responsible = forms.ModelChoiceField(label=_("Responsible (kontoansvarig)"), queryset=people())
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies"), queryset=people(), widget=forms.SelectMultiple(attrs={"size": 6})
    )


class ChannelFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Platform.objects.all(), required=False, empty_label=_("All")
    )
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.all(), required=False, empty_label=_("All")
    )
    mine = forms.BooleanField(label=_("Only accounts I answer for"), required=False)
    flagged = forms.BooleanField(label=_("Only accounts with problems"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from kanalvakt.registry.models import Channel

        self.fields["status"].choices = [("", _("All")), *Channel.Status.choices]
