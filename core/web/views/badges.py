"""Badge pages: managers design and archive; members see what a badge asks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import access
from core.selectors.awards import award_of_badge_for, holders_count, holders_of
from core.selectors.badges import badges_for_managers, holder_counts
from core.selectors.notifications import latest_notification_by_award
from core.selectors.people import emails_of
from core.services import badges as badge_services
from core.web.forms.badges import BadgeForm
from core.web.forms.base import add_service_errors

HOLDERS_PER_PAGE = 25
BADGES_PER_PAGE = 50


@require_safe
def badge_list(request, org):
    organisation = access.managed_organisation_or_404(request.identity, org)
    badges = Paginator(badges_for_managers(organisation), BADGES_PER_PAGE).get_page(request.GET.get("page"))
    counts = holder_counts(organisation)
    for badge in badges:
        badge.holder_count = counts.get(badge.pk, 0)
    return render(request, "core/badge_list.html", {"organisation": organisation, "badges": badges})


@require_http_methods(["GET", "POST"])
def badge_create(request, org):
    organisation = access.managed_organisation_or_404(request.identity, org)
    form = BadgeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            badge = badge_services.badge_create(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, f"“{badge.name}” is ready to award.")
            return redirect("badge-detail", org=org, slug=badge.slug)
    return render(
        request, "core/badge_form.html", {"organisation": organisation, "form": form, "badge": None}
    )


@require_http_methods(["GET", "POST"])
def badge_edit(request, org, slug):
    badge = access.managed_badge_or_404(request.identity, org, slug)
    initial = {field: getattr(badge, field) for field in badge_services.EDITABLE_FIELDS}
    initial["tags"] = ", ".join(badge.tags)
    form = BadgeForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        slug_fixed=badge_services.slug_is_fixed(badge),
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in badge_services.EDITABLE_FIELDS}
        changes["slug"] = changes["slug"] or badge.slug
        try:
            badge = badge_services.badge_update(
                badge=badge, actor=request.user, image=form.cleaned_data["image"], **changes
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, "Badge saved.")
            return redirect("badge-detail", org=org, slug=badge.slug)
    return render(
        request, "core/badge_form.html", {"organisation": badge.organisation, "form": form, "badge": badge}
    )


@require_POST
def badge_archive(request, org, slug):
    badge = access.managed_badge_or_404(request.identity, org, slug)
    if request.POST.get("action") == "restore":
        badge_services.badge_restore(badge=badge, actor=request.user)
        messages.success(request, f"“{badge.name}” can be awarded again.")
    else:
        badge_services.badge_archive(badge=badge, actor=request.user)
        messages.success(request, f"“{badge.name}” is archived. Awards already made stay valid.")
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
    }
    if context["is_manager"]:
        search = request.GET.get("q", "").strip()
        paginator = Paginator(holders_of(badge, search), HOLDERS_PER_PAGE)
        if not search:  # the whole list: its length is kept, not counted on every view
            paginator.count = holders_count(badge)
        page = paginator.get_page(request.GET.get("page"))
        latest = latest_notification_by_award(award.pk for award in page)
        for award in page:  # each holder's email state, read once for the page
            award.latest_notification = latest.get(award.pk)
        context.update({"holders": page, "search": search})
    return render(request, "core/badge_detail.html", context)
