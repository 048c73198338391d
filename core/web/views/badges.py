"""Badge pages: managers design and archive; members see what a badge asks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import access
from core.selectors.awards import award_of_badge_for, holders_of
from core.selectors.badges import (
    NO_AWARDS,
    badges_for_managers,
    organisation_badges,
    organisation_tags,
    status_counts,
)
from core.selectors.learning import badge_learning, badge_progress_overview
from core.selectors.notifications import latest_notification_by_award
from core.selectors.people import emails_of
from core.services import badges as badge_services
from core.services import learning as learning_services
from core.web.forms.badges import (
    BadgeForm,
    BadgeListFilterForm,
    HoldersFilterForm,
    LearningFormSet,
    add_learning_errors,
    learning_activities,
    learning_initial,
)
from core.web.forms.base import add_service_errors

HOLDERS_PER_PAGE = 25
BADGES_PER_PAGE = 50


@require_safe
def badge_list(request, org):
    organisation = access.managed_organisation_or_404(request.identity, org)
    form = BadgeListFilterForm(request.GET, tags=organisation_tags(organisation))
    chosen = form.values()
    found = badges_for_managers(
        organisation, search=chosen["q"], tag=chosen["tag"], archived=chosen["archived"], sort=chosen["sort"]
    )
    badges = Paginator(found, BADGES_PER_PAGE).get_page(request.GET.get("page"))
    # Nothing shown, yet badges exist (archived ones hidden, or filtered out): say so, not "no badges yet".
    has_badges = bool(found) or organisation_badges(organisation).exists()
    return render(
        request,
        "core/badge_list.html",
        {"organisation": organisation, "badges": badges, "form": form, "has_badges": has_badges},
    )


@require_http_methods(["GET", "POST"])
def badge_create(request, org):
    organisation = access.managed_organisation_or_404(request.identity, org)
    form = BadgeForm(request.POST or None, request.FILES or None)
    formset, with_learning = _learning_formset(request)
    if request.method == "POST" and form.is_valid() and (not with_learning or formset.is_valid()):
        fields = dict(form.cleaned_data)
        auto_award = fields.pop("learning_auto_award")
        try:
            with transaction.atomic():
                listed = learning_activities(formset) if with_learning else []
                activities = learning_services.clean_learning(listed)
                badge = badge_services.badge_create(organisation=organisation, actor=request.user, **fields)
                learning_services.badge_learning_set(
                    badge=badge, actor=request.user, activities=activities, auto_award=auto_award
                )
        except learning_services.LearningInvalid as err:
            add_learning_errors(formset, err)
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _("“%(name)s” is ready to award.") % {"name": badge.name})
            return redirect("badge-detail", org=org, slug=badge.slug)
    return render(
        request,
        "core/badge_form.html",
        {"organisation": organisation, "form": form, "formset": formset, "badge": None},
    )


@require_http_methods(["GET", "POST"])
def badge_edit(request, org, slug):
    badge = access.managed_badge_or_404(request.identity, org, slug)
    initial = {field: getattr(badge, field) for field in badge_services.EDITABLE_FIELDS}
    initial["tags"] = ", ".join(badge.tags)
    initial["learning_auto_award"] = badge.learning_auto_award
    form = BadgeForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        slug_fixed=badge_services.slug_is_fixed(badge),
        has_image=bool(badge.image_src),
    )
    formset, with_learning = _learning_formset(request, initial=learning_initial(badge))
    if request.method == "POST" and form.is_valid() and (not with_learning or formset.is_valid()):
        changes = {k: v for k, v in form.cleaned_data.items() if k in badge_services.EDITABLE_FIELDS}
        changes["slug"] = changes["slug"] or badge.slug
        try:
            with transaction.atomic():
                if with_learning:
                    activities = learning_services.clean_learning(learning_activities(formset))
                badge = badge_services.badge_update(
                    badge=badge, actor=request.user, image=form.cleaned_data["image"], **changes
                )
                if with_learning:  # a post without the activities leaves them as they are
                    learning_services.badge_learning_set(
                        badge=badge,
                        actor=request.user,
                        activities=activities,
                        auto_award=form.cleaned_data["learning_auto_award"],
                    )
        except learning_services.LearningInvalid as err:
            add_learning_errors(formset, err)
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, _("Badge saved."))
            return redirect("badge-detail", org=org, slug=badge.slug)
    return render(
        request,
        "core/badge_form.html",
        {"organisation": badge.organisation, "form": form, "formset": formset, "badge": badge},
    )


def _learning_formset(request, initial=None) -> tuple[LearningFormSet, bool]:
    """The activities' formset, and whether this POST carries it (the page's form always does)."""
    with_learning = request.method == "POST" and "learning-TOTAL_FORMS" in request.POST
    formset = LearningFormSet(request.POST if with_learning else None, prefix="learning", initial=initial)
    return formset, with_learning


@require_POST
def badge_archive(request, org, slug):
    badge = access.managed_badge_or_404(request.identity, org, slug)
    if request.POST.get("action") == "restore":
        badge_services.badge_restore(badge=badge, actor=request.user)
        messages.success(request, _("“%(badge)s” can be awarded again.") % {"badge": badge.name})
    else:
        badge_services.badge_archive(badge=badge, actor=request.user)
        messages.success(
            request, _("“%(badge)s” is archived. Awards already made stay valid.") % {"badge": badge.name}
        )
    return redirect("badge-detail", org=org, slug=slug)


@require_safe
def badge_detail(request, org, slug):
    identity = request.identity
    emails = emails_of(identity)
    badge = access.visible_badge_or_404(identity, emails, org, slug)
    context = {
        "badge": badge,
        "my_award": award_of_badge_for(badge, emails),
        "is_manager": identity.manages(org),
        "learning": badge_learning(badge, emails),  # the checklist, if it requires learning
    }
    if context["is_manager"]:
        counts = status_counts(badge.organisation, badge=badge).get(badge.pk, NO_AWARDS)
        form = HoldersFilterForm(request.GET, counts=counts)
        chosen = form.values()
        search, status = chosen["q"].strip(), chosen["status"]
        paginator = Paginator(holders_of(badge, search, status=status), HOLDERS_PER_PAGE)
        if not search:  # a whole list, or one status: its length is known, not counted again
            paginator.count = counts.of(status)
        page = paginator.get_page(request.GET.get("page"))
        latest = latest_notification_by_award(award.pk for award in page)
        for award in page:  # each holder's email state, read once for the page
            award.latest_notification = latest.get(award.pk)
        context.update(
            {"holders": page, "search": search, "status": status, "form": form, "status_counts": counts}
        )
    return render(request, "core/badge_detail.html", context)


@require_safe
def badge_progress(request, org, slug):
    """Managers: who has started the badge's learning, how far each is, who was awarded by it."""
    badge = access.managed_badge_or_404(request.identity, org, slug)
    search = request.GET.get("q", "").strip()
    overview = badge_progress_overview(badge, search=search, page=request.GET.get("page", 1))
    return render(
        request, "core/badge_progress.html", {"badge": badge, "overview": overview, "search": search}
    )
