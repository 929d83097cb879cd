"""Forms of the registration pages: register items to a case, mark confidential."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kanalvakt.archive.models import Item
from kanalvakt.records.registration import MAX_ITEMS, case_number_error, normalise_case_number
from kanalvakt.records.registration_models import Registration


def parse_item_ids(values) -> tuple[list[int], list[str]]:
    """Item ids from repeated `item` values and free text ("12, 13 14"): (ids, bad words)."""
    ids, bad = [], []
    for value in values:
        for word in re.split(r"[\s,;]+", value or ""):
            if not word:
                continue
            if word.isdigit() and int(word) > 0:
                if int(word) not in ids:
                    ids.append(int(word))
            else:
                bad.append(word)
    return ids, bad


class DetailsForm(forms.Form):
    """The diary data of a registration; the case number is checked against the format."""

    case_number = forms.CharField(label=_("Case number"), max_length=40, required=False)
    received_on = forms.DateField(
        label=_("Date received"), widget=forms.DateInput(attrs={"type": "date"})
    )
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Registration.Direction.choices, widget=forms.RadioSelect
    )
    sender = forms.CharField(label=_("Sender"), max_length=300, required=False)
    description = forms.CharField(label=_("Short description"), max_length=500)
    masked = forms.BooleanField(
        label=_("Mask sender and description in public listings and hand-off files"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_number"].help_text = _("For example %(example)s.") % {
            "example": settings.RECORDS_CASE_NUMBER_EXAMPLE
        }
        self.fields["received_on"].error_messages["required"] = _(
            "Enter the date the document was received."
        )
        self.fields["received_on"].error_messages["invalid"] = _("Enter a date as YYYY-MM-DD.")
        self.fields["description"].error_messages["required"] = _(
            "Write a short description of the document."
        )

    def clean_case_number(self):
        value = normalise_case_number(self.cleaned_data.get("case_number", ""))
        error = case_number_error(value)
        if error:
            raise forms.ValidationError(error)
        return value


class CreateForm(DetailsForm):
    """A new registration: the items (checked boxes and typed ids) plus the details."""

    item_ids = forms.CharField(
        label=_("More items (archive ids, separated by commas)"), required=False, max_length=2000
    )
    osl_provision = forms.CharField(
        label=_("Confidential under (OSL provision)"),
        required=False,
        max_length=100,
        help_text=_("For example OSL 26 kap. 1 §. Leave empty if nothing is confidential."),
    )

    field_order = ["case_number", "received_on", "direction", "sender", "description", "masked"]

    def __init__(self, *args, items=(), **kwargs):
        self.checked_values = list(items)
        super().__init__(*args, **kwargs)

    def clean_osl_provision(self):
        value = " ".join(self.cleaned_data.get("osl_provision", "").split())
        if value and not value.upper().startswith("OSL"):
            raise forms.ValidationError(
                _("Give the provision of the Public Access and Secrecy Act, e.g. OSL 26 kap. 1 §.")
            )
        return value

    def clean(self):
        data = super().clean()
        ids, bad = parse_item_ids([*self.checked_values, data.get("item_ids", "")])
        found = {i.pk: i for i in Item.objects.filter(pk__in=ids).select_related("channel")}
        unknown = bad + [str(i) for i in ids if i not in found]
        if unknown:
            self.add_error(None, _("Unknown item: %(ids)s.") % {"ids": ", ".join(unknown)})
        elif not ids:
            self.add_error(None, _("Choose at least one archived item to register."))
        elif len(ids) > MAX_ITEMS:
            self.add_error(
                None, _("At most %(n)s items can be registered at once.") % {"n": MAX_ITEMS}
            )
        data["items"] = [found[i] for i in ids if i in found]
        return data


class ConfidentialForm(forms.Form):
    osl_provision = forms.CharField(
        label=_("Confidential under (OSL provision)"),
        required=False,
        max_length=100,
        help_text=_("For example OSL 26 kap. 1 §. Empty lifts the mark."),
    )
