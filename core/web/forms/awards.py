"""Awarding and revoking. Recipients are only read here; the award service checks them."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.services.awards import MAX_REVOCATION_REASON
from core.services.recipients import Recipient, parse_recipient_csv, parse_recipient_lines
from core.web.forms.base import Form

ONE_OF_TWO = _("Paste recipients or upload a CSV file (one of the two).")


class AwardForm(Form):
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": "ada@example.com, Ada Lovelace\ngrace@example.com"}
        ),
        help_text=_("One person a line: an email, optionally followed by a comma and their name."),
    )
    csv_file = forms.FileField(
        label=_("…or a CSV file"),
        required=False,
        help_text=_("With a header line: email,name"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    evidence_url = forms.URLField(
        label=_("Evidence URL"), required=False, max_length=500, assume_scheme="https"
    )
    narrative = forms.CharField(
        label=_("Narrative"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Absent means "email them": a form posted without the box keeps the default.
    quiet = forms.BooleanField(
        label=_("Do not email them"),
        required=False,
        help_text=_("You can send each person's email later, from the award's page."),
    )

    @property
    def recipients_field(self) -> str:
        """The field the recipients came from: where their problems are shown."""
        return "csv_file" if "csv_file" in self.fields and self.cleaned_data.get("csv_file") else "recipients"

    def clean(self) -> dict:
        cleaned = super().clean()
        text, upload = cleaned.get("recipients", ""), cleaned.get("csv_file")
        if bool(text.strip()) == bool(upload):
            # On the list's field, so the error summary links to it and it is marked invalid
            # (the confirmation carries the list hidden: there it is the form's error).
            self.add_error(None if self.fields["recipients"].widget.is_hidden else "recipients", ONE_OF_TWO)
            return cleaned
        try:
            rows: list[Recipient] = parse_recipient_csv(upload) if upload else parse_recipient_lines(text)
        except ValidationError as err:  # a file that is not a readable CSV
            self.add_error(self.recipients_field, err)
            return cleaned
        cleaned["recipient_rows"] = rows
        return cleaned


class AwardConfirmForm(AwardForm):
    """The previewed batch, carried to the confirmation as it was checked; only the email choice shows."""

    csv_file = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("recipients", "evidence_url", "narrative"):
            self.fields[name].widget = forms.HiddenInput()


class RevokeForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REVOCATION_REASON,
        help_text=_("Shown on the award's public page."),
    )


class EmailCheckForm(Form):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"placeholder": _("name@example.com")})
    )
