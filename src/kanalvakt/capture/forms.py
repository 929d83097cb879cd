"""The connection form. The token field never shows a value, not even after an error."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from kanalvakt.capture.connectors.base import connector_choices


class ConnectionForm(forms.Form):
    connector = forms.ChoiceField(label=_("Platform connector"), choices=())
    account_id = forms.CharField(
        label=_("Account id on the platform"),
        max_length=500,
        help_text=_(
            "Facebook page id, Instagram user id, YouTube channel id, X user id, LinkedIn "
            "organisation URN, Mastodon account id, Bluesky DID, or the feed address."
        ),
    )
    options = forms.CharField(
        label=_("Options (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            'For example {"base_url": "https://mastodon.nu"} for Mastodon, '
            '{"conversations": true} to capture Messenger conversations.'
        ),
    )
    token = forms.CharField(
        label=_("New access token"),
        required=False,
        strip=True,
        max_length=4000,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=_(
            "Encrypted at once and never shown again. Leave empty to keep the current one."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["connector"].choices = connector_choices()

    def clean_options(self):
        text = (self.cleaned_data.get("options") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("Write the options as a JSON object.")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Write the options as a JSON object."))
        return value
