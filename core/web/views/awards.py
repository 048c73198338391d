"""Awarding and revoking (managers); the public award page and its email check (anyone)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core import access
from core.domain.openbadges.documents import hosted_cache_key
from core.domain.sharing import linkedin_add_to_profile_url
from core.lib import throttle
from core.lib.urls import absolute_url
from core.selectors.learning import learning_award_of
from core.selectors.people import emails_of
from core.services import awards as award_services
from core.services.recipients import RecipientErrors, RecipientListError, recipient_lines
from core.web.client import client_address
from core.web.forms.awards import AwardConfirmForm, AwardForm, EmailCheckForm, RevokeForm
from core.web.forms.base import add_service_errors
from core.web.page_cache import shared_page

LINE_ERROR = _("Line %(line)s: %(problem)s")
MORE_LINES = _("…and %(count)s more lines to fix.")
TOO_MANY_CHECKS = _("Too many checks of this award in a short time. Wait a minute and try again.")
EMAIL_MATCHES = _("Yes: this award was issued to %(email)s.")
EMAIL_DIFFERS = _("No: this award was not issued to %(email)s.")
# The answer travels to the award's page in the (signed cookie) messages, tagged so
# that page shows it under its form rather than with the other messages at the top.
EMAIL_CHECK_TAG = "email-check"
# As long as its Open Badges documents: a badge renamed shows within the minute,
# a revocation at once (it drops the page's version, see AWARD_DOCUMENTS).
PAGE_CACHE_SECONDS = 60


MAX_LINES_SHOWN = 20
PREVIEW_LIST_SHOWN = 200


def _award_summary(badge, result) -> str:
    """One message however many people: counts, never a wall of addresses."""
    parts = []
    if result.awarded_count:
        parts.append(
            ngettext(
                "Awarded “%(badge)s” to %(count)s person.",
                "Awarded “%(badge)s” to %(count)s people.",
                result.awarded_count,
            )
            % {"badge": badge.name, "count": result.awarded_count}
        )
    if result.renewed_count:
        parts.append(
            ngettext(
                "%(count)s of them renewed an expired award.",
                "%(count)s of them renewed an expired award.",
                result.renewed_count,
            )
            % {"count": result.renewed_count}
        )
    if result.already_held:
        parts.append(
            ngettext(
                "%(count)s person already held it: not awarded again.",
                "%(count)s people already held it: not awarded again.",
                len(result.already_held),
            )
            % {"count": len(result.already_held)}
        )
    return " ".join(parts)


def _line_errors(form, field: str, err: RecipientErrors) -> None:
    """The first lines' problems on the field, and how many more: a list a manager can act on."""
    lines = list(err.lines.items())
    shown = [LINE_ERROR % {"line": line, "problem": problem} for line, problem in lines[:MAX_LINES_SHOWN]]
    if len(lines) > MAX_LINES_SHOWN:
        shown.append(MORE_LINES % {"count": len(lines) - MAX_LINES_SHOWN})
    form.add_error(field, shown)


@require_http_methods(["GET", "POST"])
def award_create(request, org, slug):
    """Award a badge: the list is previewed (new, renewing, already holding, invalid lines),
    then awarded on confirmation (``action=award``), with or without emails."""
    badge = access.managed_badge_or_404(request.identity, org, slug)
    context = {"badge": badge}
    if request.method == "GET":
        return render(request, "core/award_form.html", {**context, "form": AwardForm()})
    action = request.POST.get("action", "preview")
    # Confirmed or not, the data is read by the editable form: its errors are shown where they can be fixed.
    form = AwardForm(request.POST, request.FILES)
    if action == "edit" or not form.is_valid():
        return render(request, "core/award_form.html", {**context, "form": form})
    rows = form.cleaned_data["recipient_rows"]
    if action == "award":
        try:
            result = award_services.award_batch_create(
                badge=badge,
                actor=request.user,
                recipients=rows,
                evidence_url=form.cleaned_data["evidence_url"],
                narrative=form.cleaned_data["narrative"],
                notify=not form.cleaned_data["quiet"],
            )
        except RecipientErrors as err:
            _line_errors(form, "recipients", err)
        except RecipientListError as err:
            form.add_error("recipients", err)
        except ValidationError as err:
            add_service_errors(form, err)
        else:
            if result.awarded_count:
                messages.success(request, _award_summary(badge, result))
                return redirect("award-batch", org=org, batch_id=result.batch.pk)
            messages.warning(request, _award_summary(badge, result))
            return redirect("badge-detail", org=org, slug=slug)
        return render(request, "core/award_form.html", {**context, "form": form})
    preview = award_services.award_batch_preview(badge=badge, recipients=rows)
    if preview.invalid:
        _line_errors(form, form.recipients_field, RecipientErrors(preview.invalid))
    if preview.problem:
        form.add_error(None, preview.problem)
    valid = preview.new + preview.renewing + preview.already_held
    confirm = AwardConfirmForm(
        initial={
            "recipients": recipient_lines(sorted(valid, key=lambda r: r.line)),
            "evidence_url": form.cleaned_data["evidence_url"],
            "narrative": form.cleaned_data["narrative"],
            "quiet": form.cleaned_data["quiet"],
        }
    )
    return render(
        request,
        "core/award_form.html",
        {
            **context,
            "form": form,
            "preview": preview,
            "confirm_form": confirm,
            "shown": PREVIEW_LIST_SHOWN,
        },
    )


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
            messages.success(
                request, _("The award to %(email)s is revoked.") % {"email": award.recipient_email}
            )
            return redirect("badge-detail", org=org, slug=award.badge.slug)
    return render(request, "core/award_revoke.html", {"award": award, "form": form})


def _award_page(request, award, *, email_form=None, email_refused="", status=200):
    identity = request.identity
    email_result = next(
        (message for message in messages.get_messages(request) if EMAIL_CHECK_TAG in message.tags), None
    )
    is_manager = identity.manages(award.badge.organisation.slug)
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
            "is_manager": is_manager,
            "email_form": email_form or EmailCheckForm(),
            "email_result": email_result,
            "email_refused": email_refused,
            "notifications": award.notifications.order_by("created_at") if is_manager else (),
            "learning_award": learning_award_of(award),
        },
        status=status,
    )


@require_safe
def award_detail(request, award_id):
    """The most visited page: kept whole for anonymous visitors (``core.web.page_cache``)."""

    def build():
        award = access.public_award_or_404(award_id)
        seconds = PAGE_CACHE_SECONDS
        if award.expires_on is not None and award.revoked_at is None:
            # Not kept past the moment it expires: it would still say "Valid".
            seconds = min(seconds, int((award.expires_on - timezone.now()).total_seconds()))
        return _award_page(request, award), seconds

    return shared_page(request, version_key=hosted_cache_key("award-page", award_id), build=build)


@require_http_methods(["GET", "POST"])
def award_check_email(request, award_id):
    """Does this award belong to this email? Yes or no, never the email itself.

    The answer is shown on the award's page (post, redirect, get): reloading it never
    posts again, and a GET here (a reload of a refused check) goes back to that page.
    Throttled per client and per award: the answer confirms a guess, so it must
    not be asked at machine speed (the limits are ``EMAIL_CHECK_PER_*_PER_MINUTE``).
    """
    award = access.public_award_or_404(award_id)
    if request.method == "GET":
        return redirect(_check_anchor(award))
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
    email = form.cleaned_data["email"]
    if award.belongs_to(email):
        messages.success(request, EMAIL_MATCHES % {"email": email}, extra_tags=EMAIL_CHECK_TAG)
    else:
        messages.info(request, EMAIL_DIFFERS % {"email": email}, extra_tags=EMAIL_CHECK_TAG)
    return redirect(_check_anchor(award))


def _check_anchor(award) -> str:
    return f"{award.get_absolute_url()}#email-check"
