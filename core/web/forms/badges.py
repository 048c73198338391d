"""Designing a badge. Its fields are the model's (``core.models.badges``): the API's
serializer is built from the same model, so both accept exactly the same input."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.models import Badge, LearningRequirement, Status
from core.models.learning import MAX_REQUIREMENTS
from core.services.badges import IMAGE_REQUIRED
from core.web.forms.base import FilterForm, InlineRadioSelect, ModelForm, formfield_for

HOLDERS_ALL = _("All (%(count)s)")
SLUG_FIXED_HELP = _("Fixed once awarded: it is part of the badge's Open Badges id.")


class BadgeForm(ModelForm):
    # Tags are a JSON list in the model; people type them separated by commas.
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=1000, help_text=_("Separated by commas.")
    )
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
        "learning_auto_award",
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
            "learning_auto_award",
        ]
        labels = {"image_url": _("…or image URL")}
        help_texts = {"image": _("A PNG or SVG, up to 512 KB.")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "criteria_narrative": forms.Textarea(attrs={"rows": 4}),
            "image": forms.FileInput(attrs={"accept": "image/png,image/svg+xml"}),
        }

    def __init__(self, *args, slug_fixed: bool = False, has_image: bool = False, **kwargs):
        # Always a fresh instance: the service applies the changes, never the form.
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.has_image = has_image
        self.fields["slug"].required = False  # suggested from the name
        if slug_fixed:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = SLUG_FIXED_HELP

    def clean(self):
        # The service refuses a badge without an image too (the one rule, for the API as well);
        # said here as well, a missing image shows with the other problems at the first
        # submit, not alone after they are fixed.
        cleaned = super().clean()
        given = cleaned.get("image") or cleaned.get("image_url")
        if not (self.has_image or given or "image" in self.errors or "image_url" in self.errors):
            self.add_error("image", IMAGE_REQUIRED)
        return cleaned


class LearningActivityForm(ModelForm):
    """One learning activity the badge requires (``core.models.learning.LearningRequirement``)."""

    class Meta:
        model = LearningRequirement
        formfield_callback = formfield_for
        fields = ["activity_id", "name", "url", "requires", "min_score"]
        # Each label says "activity": the badge's own name and link are on the same page.
        labels = {
            "activity_id": _("Activity IRI"),
            "name": _("Activity name"),
            "url": _("Activity link"),
            "requires": _("Counts when"),
            "min_score": _("Minimum score"),
        }
        help_texts = {
            "activity_id": _(
                "The xAPI activity id your learning system reports, e.g. https://lms.example.com/courses/42."
            ),
            "url": _("Where employees take it (optional)."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)  # the service replaces the requirements, never the form
        super().__init__(*args, **kwargs)

    def validate_unique(self):
        pass  # the badge is not known here: the service checks duplicates

    def _post_clean(self):
        pass  # no instance to fill: ``core.services.learning.clean_learning`` is the one check


LearningFormSet = forms.formset_factory(
    LearningActivityForm, extra=2, can_delete=True, max_num=MAX_REQUIREMENTS, validate_max=True
)

# The service names a field "id"; the form calls it "activity_id".
SERVICE_FIELDS = {"id": "activity_id"}


def learning_initial(badge) -> list[dict]:
    return [
        {
            "activity_id": r.activity_id,
            "name": r.name,
            "url": r.url,
            "requires": r.requires,
            "min_score": r.min_score,
        }
        for r in badge.learning_requirements.order_by("position", "id")
    ]


def learning_activities(formset) -> list[dict]:
    """The activities a valid formset lists, in order, for ``badge_learning_set``."""
    activities = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not (data.get("activity_id") or data.get("name")):
            continue
        activities.append(
            {
                "id": data.get("activity_id") or "",
                "name": data.get("name") or "",
                "url": data.get("url") or "",
                "requires": data.get("requires") or "completed",
                "min_score": data.get("min_score"),
            }
        )
    return activities


def add_learning_errors(formset, error) -> None:
    """Show the service's ``LearningInvalid`` next to the activity and field it names."""
    listed = [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None)
        and not form.cleaned_data.get("DELETE")
        and (form.cleaned_data.get("activity_id") or form.cleaned_data.get("name"))
    ]
    for index, fields in error.activities.items():
        for field, message in fields.items():
            listed[index].add_error(SERVICE_FIELDS.get(field, field), message)
    if error.general:
        formset._non_form_errors = formset.error_class([error.general])


class BadgeListFilterForm(FilterForm):
    """The manager's badge list: search by name, a tag, archived ones or not, an order."""

    q = forms.CharField(label=_("Badge name"), required=False, max_length=200, widget=forms.SearchInput)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    archived = forms.ChoiceField(
        label=_("Archived badges"),
        required=False,
        choices=[("", _("Hidden")), ("all", _("Shown")), ("only", _("Only them"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("Name")), ("newest", _("Newest first")), ("holders", _("Most holders first"))],
    )

    def __init__(self, data=None, *, tags: list[str], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["tag"].choices = [("", _("Any tag"))] + [(tag, tag) for tag in tags]


class HoldersFilterForm(FilterForm):
    """A badge's holders: search a name or an email, one status (each with its count)."""

    q = forms.CharField(label=_("Name or email"), required=False, max_length=254, widget=forms.SearchInput)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=InlineRadioSelect)

    def __init__(self, data=None, *, counts, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["status"].initial = ""
        self.fields["status"].choices = [("", HOLDERS_ALL % {"count": _number(counts.total)})] + [
            (status.value, f"{status.label} ({_number(counts.of(status.value))})") for status in Status
        ]


def _number(count: int) -> str:
    return number_format(count, force_grouping=True)
