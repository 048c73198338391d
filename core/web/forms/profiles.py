"""A person's public earner profile: publish it or not, its name, the awards it shows."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.web.forms.base import CheckboxList, Form


class ProfileForm(Form):
    published = forms.BooleanField(
        label=_("Publish my profile"),
        required=False,
        help_text=_(
            "Off: nobody can open its link. You can turn it off at any time; it takes effect at once."
        ),
    )
    name = forms.CharField(
        label=_("Name shown"),
        required=False,
        max_length=200,
        help_text=_("As you want it read by anyone with the link. Your email addresses are never shown."),
    )
    awards = forms.MultipleChoiceField(
        label=_("Awards shown"),
        required=False,
        widget=CheckboxList,
        help_text=_(
            "Only valid awards can be shown: one that expires or is revoked leaves the page by itself."
        ),
    )

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awards"].choices = [
            (
                str(award.pk),
                f"{award.badge.name} — {award.badge.organisation.printable_name}, "
                f"{date_format(award.issued_on, 'DATE_FORMAT')}",
            )
            for award in awards
        ]
