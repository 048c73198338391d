"""A person's own email addresses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.web.forms.base import Form


class EmailAddressForm(Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send a link to it: open it to confirm the address is yours."),
    )
