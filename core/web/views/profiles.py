"""A person's public earner profile: its settings (theirs) and its page (anyone with the link)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.lib.urls import absolute_url
from core.selectors.people import emails_of
from core.selectors.profiles import profile_of, published_profile, showable_awards
from core.services import profiles as profile_services
from core.web.forms.base import add_service_errors
from core.web.forms.profiles import ProfileForm


@require_http_methods(["GET", "POST"])
def my_profile(request):
    identity = request.identity
    emails = emails_of(identity)
    awards = list(showable_awards(emails))
    profile = profile_of(request.user)
    initial = {
        "published": bool(profile and profile.published),
        "name": profile.name if profile else identity.display_name,
        "awards": [str(pk) for pk in profile.shown.values_list("award_id", flat=True)] if profile else [],
    }
    form = ProfileForm(request.POST or None, initial=initial, awards=awards)
    if request.method == "POST" and form.is_valid():
        try:
            profile = profile_services.profile_update(
                user=request.user,
                emails=emails,
                published=form.cleaned_data["published"],
                name=form.cleaned_data["name"],
                award_ids=form.cleaned_data["awards"],
            )
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(
                request,
                _("Your profile is published.") if profile.published else _("Your profile is hidden."),
            )
            return redirect("my-profile")
    context = {
        "form": form,
        "profile": profile,  # None until first saved: its link is made then, and never changes
        "profile_url": absolute_url(profile.get_absolute_url()) if profile else "",
        "has_awards": bool(awards),
    }
    return render(request, "core/profile_form.html", context)


@require_safe
@never_cache  # hiding the profile or an award must show at once, in browsers and caches too
def public_profile(request, token):
    page = published_profile(token)
    if page is None:
        raise Http404
    return render(request, "core/profile_public.html", {"profile": page.profile, "awards": page.awards})
