"""Forms of the retention pages: a retention class, a legal hold, decisions."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanalvakt.archive.models import ItemKind
from kanalvakt.records.registration_forms import parse_item_ids
from kanalvakt.records.retention_models import AuthorScope
from kanalvakt.registry.models import Channel


class RetentionClassForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of item"), choices=ItemKind.choices, widget=forms.CheckboxSelectMultiple
    )
    author_scope = forms.ChoiceField(
        label=_("Written by"), choices=AuthorScope.choices, widget=forms.RadioSelect
    )
    period_months = forms.IntegerField(
        label=_("Retention period (months)"),
        min_value=1,
        max_value=1200,
        required=False,
        help_text=_("Months after the last activity in the thread. Empty: keep for ever."),
    )
    decision_reference = forms.CharField(
        label=_("Disposal decision (gallringsbeslut)"),
        max_length=200,
        help_text=_("For example 'KS 2024/45 § 12'."),
    )
    active = forms.BooleanField(label=_("In force"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].error_messages["required"] = _("Choose at least one kind of item.")
        self.fields["decision_reference"].error_messages["required"] = _(
            "Give the disposal decision the class rests on."
        )

    def clean(self):
        data = super().clean()
        if data.get("active") and data.get("period_months") and not data.get("decision_reference"):
            self.add_error(
                "decision_reference", _("Give the disposal decision the class rests on.")
            )
        return data


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


def _day_end(day):
    return timezone.make_aware(datetime.combine(day, time.max)) if day else None


class HoldForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"), max_length=200, help_text=_("Case or request number.")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    item_ids = forms.CharField(
        label=_("Archived items (ids)"),
        required=False,
        help_text=_("Separated by spaces or commas."),
    )
    channel = forms.ModelChoiceField(
        label=_("Or every item of a channel"),
        queryset=Channel.objects.order_by("display_name"),
        required=False,
    )
    start = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Created to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].error_messages["required"] = _(
            "Give the case or request number the hold is for."
        )
        self.fields["reason"].error_messages["required"] = _("Say why the items are held.")
        for name in ("start", "end"):
            self.fields[name].error_messages["invalid"] = _("Enter a date as YYYY-MM-DD.")

    def clean_item_ids(self):
        ids, bad = parse_item_ids([self.cleaned_data.get("item_ids", "")])
        if bad:
            raise forms.ValidationError(
                _("Not an item id: %(words)s.") % {"words": ", ".join(bad[:10])}
            )
        return ids

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "reference": data["reference"],
            "reason": data["reason"],
            "item_ids": data["item_ids"],
            "channel": data["channel"],
            "start": _day_start(data["start"]),
            "end": _day_end(data["end"]),
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Say why the hold is released.")


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].error_messages["required"] = _("Write a comment on the decision.")
