from django import forms
from django.utils.translation import gettext_lazy as _

from kanalvakt.screenshots import conf


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Screenshot file"),
        help_text=_("PNG, JPEG or PDF of the account's public page, at most %(mb)s MB.")
        % {"mb": conf.DEFAULTS["SCREENSHOT_UPLOAD_MAX_BYTES"] // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,application/pdf"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example when and how you took the screenshot."),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting."),
    )
