"""The import form: it checks shape; ``core.services.imports`` verifies the badge."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.services.imports import ONE_SOURCE
from core.web.forms.base import Form


class ImportForm(Form):
    assertion_url = forms.URLField(
        label=_("Assertion URL"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text=_(
            "The link to the badge's Open Badges assertion or Open Badges 3.0 credential (JSON), from "
            "Credly, Badgr or elsewhere."
        ),
    )
    image = forms.FileField(
        label=_("…or its baked image"),
        required=False,
        help_text=_(
            "The badge's PNG or SVG image, as downloaded from the issuer: it carries the assertion or "
            "the credential."
        ),
        widget=forms.FileInput(attrs={"accept": "image/png,image/svg+xml"}),
    )
    credential = forms.CharField(
        label=_("…or its Open Badges 3.0 credential"),
        required=False,
        help_text=_("Paste the credential's JSON, as your wallet or the issuer exports it."),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        given = sum(bool(cleaned.get(name)) for name in ("assertion_url", "image", "credential"))
        if given != 1 and not self.errors:
            raise ValidationError(ONE_SOURCE)
        return cleaned
