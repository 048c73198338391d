"""Verify: does this person hold this badge? For signed-in members."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core import selectors
from core.forms import VerifyForm
from core.models import Badge


@require_http_methods(["GET", "POST"])
def verify(request):
    badges = list(Badge.objects.for_organisations(request.identity.organisation_slugs).order_by("name"))
    form = VerifyForm(request.POST or None, badges=badges)
    result = None
    if request.method == "POST" and form.is_valid():
        badge, email = form.cleaned_data["badge"], form.cleaned_data["email"]
        result = {"badge": badge, "email": email, "award": selectors.award_of_badge_for_email(badge, email)}
    return render(request, "core/verify.html", {"form": form, "result": result, "has_badges": bool(badges)})
