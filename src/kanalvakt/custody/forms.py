"""Forms of custody. Secret inputs never echo a value back (not even after an error), are
never autofilled or spell-checked (browsers may send spell-checked text to a cloud)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kanalvakt.custody.actions import MIN_REASON_LENGTH
from kanalvakt.custody.credentials import MAX_LENGTHS

_SECRET_ATTRS = {
    "autocomplete": "off",
    "spellcheck": "false",
    "autocapitalize": "off",
    "autocorrect": "off",
    "data-lpignore": "true",  # password managers: do not store the municipality's secrets
}


class _NoEcho:
    """Render the field empty whatever was posted."""

    def format_value(self, value):
        return None


class SecretTextInput(_NoEcho, forms.TextInput):
    pass


class SecretTextarea(_NoEcho, forms.Textarea):
    pass


def _secret_password(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        strip=False,
        max_length=MAX_LENGTHS["password"],
        widget=forms.PasswordInput(
            render_value=False, attrs={**_SECRET_ATTRS, "autocomplete": "new-password"}
        ),
    )


class DepositForm(forms.Form):
    login = forms.CharField(
        label=_("Login identifier"),
        help_text=_("The user name, e-mail address or phone number used to log in."),
        required=False,
        max_length=MAX_LENGTHS["login"],
        widget=SecretTextInput(attrs=_SECRET_ATTRS),
    )
    password = _secret_password(_("Password"))
    password_again = _secret_password(_("Password again"), _("To catch a typing mistake."))
    recovery = forms.CharField(
        label=_("Two-factor recovery codes"),
        required=False,
        max_length=MAX_LENGTHS["recovery"],
        widget=SecretTextarea(attrs={**_SECRET_ATTRS, "rows": 4}),
    )
    second_factor_holder = forms.CharField(
        label=_("Who or which phone holds the second factor"),
        help_text=_("For example: the department's work mobile, kept by the unit manager."),
        required=False,
        max_length=MAX_LENGTHS["second_factor_holder"],
        widget=SecretTextInput(attrs=_SECRET_ATTRS),
    )
    platform_admins = forms.CharField(
        label=_("Admin users on the platform"),
        help_text=_("One per line: everyone who can administer the account on the platform."),
        required=False,
        widget=SecretTextarea(attrs={**_SECRET_ATTRS, "rows": 4}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=MAX_LENGTHS["notes"],
        widget=SecretTextarea(attrs={**_SECRET_ATTRS, "rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password", "") != data.get("password_again", ""):
            self.add_error("password_again", _("The two passwords differ."))
        return data

    def action_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "login",
                "password",
                "recovery",
                "second_factor_holder",
                "platform_admins",
                "notes",
            )
        }


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are the login details needed?"),
        min_length=MIN_REASON_LENGTH,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Interpolated per request, in the request's language.
        self.fields["reason"].help_text = gettext(
            "Recorded in the audit log and sent to the account's responsible person. "
            "At least %(n)s characters."
        ) % {"n": MIN_REASON_LENGTH}
