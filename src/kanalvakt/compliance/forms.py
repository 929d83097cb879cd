from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from kanalvakt.compliance.models import PolicyDocument

ALLOWED = {".pdf", ".docx", ".odt", ".txt"}
MAX_BYTES = 20 * 1024 * 1024


class PolicyDocumentForm(forms.ModelForm):
    class Meta:
        model = PolicyDocument
        fields = ["title", "url", "file", "applies_to"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "size"):
            suffix = PurePath(upload.name).suffix.lower()
            if suffix not in ALLOWED:
                raise forms.ValidationError(_("Upload a PDF, Word, OpenDocument or text file."))
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file"):
            raise forms.ValidationError(_("Give an address or upload a file."))
        return data
