"""Forms for the pages. They check shape; the services check the rules."""

from django import forms
from django.core.exceptions import ValidationError

from core.models import BADGE_SLUG_VALIDATOR
from core.services.awards import MAX_REVOCATION_REASON
from core.services.badges import MAX_VALIDITY_DAYS
from core.services.recipients import Recipient, parse_recipient_csv, parse_recipient_lines


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the right fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class BadgeForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.CharField(
        max_length=100,
        required=False,
        validators=[BADGE_SLUG_VALIDATOR],
        help_text="Lowercase letters, digits and hyphens; suggested from the name if left empty.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    criteria_narrative = forms.CharField(
        label="Criteria", widget=forms.Textarea(attrs={"rows": 4}), help_text="What someone did to earn it."
    )
    criteria_url = forms.URLField(label="Criteria URL", required=False, max_length=500, assume_scheme="https")
    image = forms.FileField(
        required=False,
        help_text="A PNG or SVG, up to 512 KB.",
        widget=forms.FileInput(attrs={"accept": "image/png,image/svg+xml"}),
    )
    image_url = forms.URLField(
        label="…or image URL", required=False, max_length=500, assume_scheme="https", help_text="https only."
    )
    tags = forms.CharField(required=False, max_length=1000, help_text="Separated by commas.")
    validity_days = forms.IntegerField(
        label="Valid for (days)",
        required=False,
        min_value=1,
        max_value=MAX_VALIDITY_DAYS,
        help_text="Leave empty if the badge never expires.",
    )


class AwardForm(forms.Form):
    recipients = forms.CharField(
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": "ada@example.com, Ada Lovelace\ngrace@example.com"}
        ),
        help_text="One person a line: an email, optionally followed by a comma and their name.",
    )
    csv_file = forms.FileField(
        label="…or a CSV file",
        required=False,
        help_text="With a header line: email,name",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    evidence_url = forms.URLField(label="Evidence URL", required=False, max_length=500, assume_scheme="https")
    narrative = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict:
        cleaned = super().clean()
        text, upload = cleaned.get("recipients", ""), cleaned.get("csv_file")
        if bool(text.strip()) == bool(upload):
            raise ValidationError("Paste recipients or upload a CSV file (one of the two).")
        try:
            recipients: list[Recipient] = (
                parse_recipient_csv(upload) if upload else parse_recipient_lines(text)
            )
        except ValidationError as err:
            self.add_error("csv_file" if upload else "recipients", err)
            return cleaned
        cleaned["parsed_recipients"] = recipients
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REVOCATION_REASON,
        help_text="Shown on the award's public page.",
    )


class EmailCheckForm(forms.Form):
    email = forms.EmailField(label="Email address")


class VerifyForm(forms.Form):
    badge = forms.ChoiceField()
    email = forms.EmailField(label="Email address")

    def __init__(self, *args, badges, **kwargs):
        super().__init__(*args, **kwargs)
        self.badges = {str(b.pk): b for b in badges}
        self.fields["badge"].choices = [("", "Choose a badge…")] + [
            (str(b.pk), f"{b.name} — {b.organisation.printable_name}") for b in badges
        ]

    def clean_badge(self):
        return self.badges[self.cleaned_data["badge"]]
