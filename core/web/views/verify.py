"""Verify: does this person hold this badge, and if not, how far are they? For signed-in members."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.selectors.awards import award_of_badge_for
from core.selectors.badges import member_badges
from core.selectors.learning import badge_learning
from core.web.forms.verify import VerifyForm


@require_http_methods(["GET", "POST"])
def verify(request):
    badges = list(member_badges(request.identity))
    form = VerifyForm(request.POST or None, badges=badges)
    result = None
    if request.method == "POST" and form.is_valid():
        badge, email = form.cleaned_data["badge"], form.cleaned_data["email"]
        award = award_of_badge_for(badge, [email])
        result = {"badge": badge, "email": email, "award": award}
        if award is None or award.status != "active":
            # Not (or no longer) holding it: how far they are with the learning it requires.
            result["learning"] = badge_learning(badge, [email])
    return render(
        request,
        "core/verify.html",
        {
            "form": form,
            "result": result,
            "has_badges": bool(badges),
            "has_organisations": bool(request.identity.organisations),
        },
    )
