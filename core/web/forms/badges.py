"""Designing a badge. Its fields are the model's (``core.models.badges``): the API's
serializer is built from the same model, so both accept exactly the same input."""

from django import forms

from core.models import Badge
from core.web.forms.base import ModelForm, formfield_for

SLUG_FIXED_HELP = "Fixed once awarded: it is part of the badge's Open Badges id."


class BadgeForm(ModelForm):
    # Tags are a JSON list in the model; people type them separated by commas.
    tags = forms.CharField(required=False, max_length=1000, help_text="Separated by commas.")
    field_order = [
        "name",
        "slug",
        "description",
        "criteria_narrative",
        "criteria_url",
        "image",
        "image_url",
        "tags",
        "validity_days",
    ]

    class Meta:
        model = Badge
        formfield_callback = formfield_for
        fields = [
            "name",
            "slug",
            "description",
            "criteria_narrative",
            "criteria_url",
            "image",
            "image_url",
            "validity_days",
        ]
        labels = {"image_url": "…or image URL"}
        help_texts = {"image": "A PNG or SVG, up to 512 KB."}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "criteria_narrative": forms.Textarea(attrs={"rows": 4}),
            "image": forms.FileInput(attrs={"accept": "image/png,image/svg+xml"}),
        }

    def __init__(self, *args, slug_fixed: bool = False, **kwargs):
        # Always a fresh instance: the service applies the changes, never the form.
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False  # suggested from the name
        if slug_fixed:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = SLUG_FIXED_HELP
