"""The import form: it checks shape; ``core.services.imports`` verifies the badge."""

from django import forms
from django.core.exceptions import ValidationError

from core.web.forms.base import Form


class ImportForm(Form):
    assertion_url = forms.URLField(
        label="Assertion URL",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="The link to the badge's Open Badges assertion (JSON), from Credly, Badgr or elsewhere.",
    )
    image = forms.FileField(
        label="…or its baked image",
        required=False,
        help_text="The badge's PNG or SVG image, as downloaded from the issuer: it carries the assertion.",
        widget=forms.FileInput(attrs={"accept": "image/png,image/svg+xml"}),
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("assertion_url")) == bool(cleaned.get("image")) and not self.errors:
            raise ValidationError(
                "Paste the badge's assertion URL or upload its baked image (one of the two)."
            )
        return cleaned
