"""An employee's home: which of their badges to show."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Status
from core.web.forms.base import FilterForm


class HomeFilterForm(FilterForm):
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )

    def __init__(self, data=None, *, organisations: list[tuple[str, str]], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["organisation"].choices = [("", _("All organisations")), *organisations]
