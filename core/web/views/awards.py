"""Awarding and revoking (managers); the public award page and its email check (anyone)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import access
from core.domain.sharing import linkedin_add_to_profile_url
from core.lib import throttle
from core.lib.urls import absolute_url
from core.selectors.people import emails_of
from core.services import awards as award_services
from core.services.recipients import RecipientListError
from core.web.client import client_address
from core.web.forms.awards import AwardForm, EmailCheckForm, RevokeForm
from core.web.forms.base import add_service_errors

TOO_MANY_CHECKS = _("Too many checks of this award in a short time. Wait a minute and try again.")


@require_http_methods(["GET", "POST"])
def award_create(request, org, slug):
    badge = access.managed_badge_or_404(request.identity, org, slug)
    form = AwardForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = award_services.award_batch_create(
                badge=badge,
                actor=request.user,
                recipients=form.cleaned_data["recipient_rows"],
                evidence_url=form.cleaned_data["evidence_url"],
                narrative=form.cleaned_data["narrative"],
            )
        except RecipientListError as err:
            form.add_error(form.recipients_field, err)
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            if result.awarded:
                count = len(result.awarded)
                people = "1 person" if count == 1 else f"{count} people"
                messages.success(request, f"Awarded “{badge.name}” to {people}. They have been emailed.")
            if result.already_held:
                held = ", ".join(r.email for r in result.already_held)
                messages.warning(request, f"Already holding this badge, so not awarded again: {held}.")
            return redirect("badge-detail", org=org, slug=slug)
    return render(request, "core/award_form.html", {"badge": badge, "form": form})


@require_http_methods(["GET", "POST"])
def award_revoke(request, org, award_id):
    award = access.managed_award_or_404(request.identity, award_id)
    if award.badge.organisation.slug != org:
        return redirect("award-revoke", org=award.badge.organisation.slug, award_id=award.pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            award_services.award_revoke(award=award, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            messages.success(request, f"The award to {award.recipient_email} is revoked.")
            return redirect("badge-detail", org=org, slug=award.badge.slug)
    return render(request, "core/award_revoke.html", {"award": award, "form": form})


def _award_page(request, award, *, email_form=None, email_matches=None, email_refused="", status=200):
    identity = request.identity
    return render(
        request,
        "core/award_detail.html",
        {
            "award": award,
            "badge": award.badge,
            "status": award.status,
            "award_url": absolute_url(award.get_absolute_url()),
            "linkedin_url": linkedin_add_to_profile_url(award),
            "is_recipient": award.belongs_to_any(emails_of(identity)),
            "is_manager": identity.manages(award.badge.organisation.slug),
            "email_form": email_form or EmailCheckForm(),
            "email_matches": email_matches,
            "email_refused": email_refused,
        },
        status=status,
    )


@require_safe
def award_detail(request, award_id):
    return _award_page(request, access.public_award_or_404(award_id))


@require_POST
def award_check_email(request, award_id):
    """Does this award belong to this email? Yes or no, never the email itself.

    Throttled per client and per award: the answer confirms a guess, so it must
    not be asked at machine speed (the limits are ``EMAIL_CHECK_PER_*_PER_MINUTE``).
    """
    award = access.public_award_or_404(award_id)
    for key, limit in (
        (f"email-check:client:{client_address(request)}", settings.EMAIL_CHECK_PER_CLIENT_PER_MINUTE),
        (f"email-check:award:{award.pk}", settings.EMAIL_CHECK_PER_AWARD_PER_MINUTE),
    ):
        allowance = throttle.take(key, limit=limit, period=60)
        if not allowance.allowed:
            response = _award_page(request, award, email_refused=TOO_MANY_CHECKS, status=429)
            response["Retry-After"] = str(allowance.retry_after)
            return response
    form = EmailCheckForm(request.POST)
    if not form.is_valid():
        return _award_page(request, award, email_form=form, status=400)
    matches = award.belongs_to(form.cleaned_data["email"])
    return _award_page(request, award, email_form=form, email_matches=matches)
