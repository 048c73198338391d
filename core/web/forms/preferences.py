"""The language switcher in every page's header."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from core.web.forms.base import Form


class LanguageSelect(forms.Select):
    """Each language named in itself, and marked as such for screen readers (``lang``)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"]["lang"] = value
        return option


class LanguageForm(Form):
    """Posted to ``set_language`` (Django's view, behind ``core.web.views.preferences``)."""

    language = forms.ChoiceField(label=_("Language"), widget=LanguageSelect)
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, next_url: str = "", **kwargs):
        kwargs.setdefault("auto_id", "switch-%s")  # unique beside the page's own forms
        kwargs.setdefault("initial", {"language": get_language(), "next": next_url})
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]
