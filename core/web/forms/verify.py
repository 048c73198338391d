"""Verify: does this person hold this badge?"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.web.forms.base import Form


class VerifyForm(Form):
    badge = forms.ChoiceField(label=_("Badge"))
    email = forms.EmailField(label=_("Email address"))

    def __init__(self, *args, badges, **kwargs):
        super().__init__(*args, **kwargs)
        self.badges = {str(b.pk): b for b in badges}
        self.fields["badge"].choices = [("", _("Choose a badge…"))] + [
            (str(b.pk), f"{b.name} — {b.organisation.printable_name}") for b in badges
        ]

    def clean_badge(self):
        return self.badges[self.cleaned_data["badge"]]
