"""Verify: does this person hold this badge?"""

from django import forms

from core.web.forms.base import Form


class VerifyForm(Form):
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
