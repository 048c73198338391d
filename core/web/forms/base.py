"""How every form renders: Django's own form rendering, dressed in Bootstrap.

Widgets get their Bootstrap class, ``is-invalid`` when their field has errors,
and Django's own ``required``, ``disabled``, ``maxlength``, ``min``/``max``,
``aria-invalid`` and ``aria-describedby`` (help text and errors). Templates
write ``{{ form }}``; the markup is in ``templates/forms/`` and
``templates/django/forms/``.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    if isinstance(widget, (InlineRadioSelect, CheckboxList)):
        return "form-check-input"  # on each option (``templates/forms/widgets/``)
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return ""
    return "form-control"


class BoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        classes = [attrs.get("class", ""), _widget_class(widget or self.field.widget)]
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs


class FormRenderer(TemplatesSetting):
    """``settings.FORM_RENDERER``: the project's templates, Django's as the fallback."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BoundField


class ErrorSummaryMixin:
    """After a failed submit, ``{{ form }}`` opens with a summary of every problem, each
    linked to its field; ``core/static/core/forms.js`` moves focus to it."""

    def get_context(self):
        context = super().get_context()
        problems = [(None, error) for error in context["errors"]]
        for field, errors in context["fields"]:
            problems += [(field, error) for error in errors]
        context["problems"] = problems
        return context


class Form(ErrorSummaryMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # labels read "Name", not "Name:"
        super().__init__(*args, **kwargs)


class InlineRadioSelect(forms.RadioSelect):
    """Radio buttons side by side, each a Bootstrap ``form-check``."""

    template_name = "forms/widgets/inline_radio.html"


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes one under the other, each a Bootstrap ``form-check``."""

    template_name = "forms/widgets/checkbox_list.html"


class FilterForm(Form):
    """A list's GET form (search, filters, sort): every field optional, read with ``values()``.

    A value that does not fit (``?status=bogus``) is named on the form and left out,
    so the list still shows, unfiltered by it.
    """

    def __init__(self, data=None, **kwargs):
        # Empty query: unbound, so nothing is flagged before anyone asked.
        super().__init__(data if data else None, **kwargs)

    def values(self) -> dict:
        """Each field's cleaned value, or its initial one when missing or invalid."""
        initial = {
            name: "" if field.initial is None else field.initial for name, field in self.fields.items()
        }
        if not self.is_bound:
            return initial
        self.is_valid()
        return {**initial, **{k: v for k, v in self.cleaned_data.items() if v not in (None, "")}}


def formfield_for(field, **kwargs):
    """A model field's form field; a link typed without a scheme means https (Django 6's default)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ModelForm(ErrorSummaryMixin, forms.ModelForm):
    """Give its ``Meta`` ``formfield_callback = formfield_for``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the right fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
