"""The emails that follow awards, as their managers see them: state, reason, resend."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from core import access
from core.models import Notification, NotificationKind
from core.selectors import notifications as selectors
from core.services import notifications as services

FAILED_PER_PAGE = 50
QUEUED_AGAIN = gettext_lazy("The email to %(email)s is queued again.")


@require_safe
def organisation_notifications(request, org):
    """Managers: the organisation's emails by state, the failed ones with why, recent batches."""
    organisation = access.managed_organisation_or_404(request.identity, org)
    failed = Paginator(selectors.organisation_failed_notifications(organisation), FAILED_PER_PAGE)
    return render(
        request,
        "core/notifications.html",
        {
            "organisation": organisation,
            "counts": selectors.organisation_notification_counts(organisation),
            "oldest_queued": selectors.oldest_queued(organisation),
            "failed": failed.get_page(request.GET.get("page")),
            "batches": selectors.recent_batches(organisation),
        },
    )


@require_safe
def award_batch(request, org, batch_id):
    """One award batch: what it did, and how its emails are going."""
    batch = access.managed_batch_or_404(request.identity, org, batch_id)
    return render(
        request,
        "core/award_batch.html",
        {
            "batch": batch,
            "badge": batch.badge,
            "progress": selectors.batch_progress(batch),
            "failed": selectors.batch_failed_notifications(batch)[:FAILED_PER_PAGE],
        },
    )


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(target)
    return redirect(fallback)


@require_POST
def resend(request, org):
    """Managers: send an award's email again (``award``), a batch's failed ones (``batch``),
    or every failed one of the organisation (neither)."""
    organisation = access.managed_organisation_or_404(request.identity, org)
    fallback = f"{request.path.rsplit('/resend/', 1)[0]}/"
    if award_id := request.POST.get("award"):
        award = access.managed_award_or_404(request.identity, award_id)
        if award.badge.organisation_id != organisation.pk:
            return redirect(fallback)
        kind = request.POST.get("kind")
        services.notification_resend(award=award, kind=kind if kind in NotificationKind.values else None)
        messages.success(request, QUEUED_AGAIN % {"email": award.recipient_email})
        return _back(request, award.get_absolute_url())
    failed = Notification.objects.of_organisation(organisation)
    if batch_id := request.POST.get("batch"):
        batch = access.managed_batch_or_404(request.identity, org, batch_id)
        failed = failed.filter(award__batch=batch)
    count = services.notifications_resend_failed(notifications=failed)
    messages.success(
        request,
        ngettext(
            "%(count)s failed email is queued again.", "%(count)s failed emails are queued again.", count
        )
        % {"count": count},
    )
    return _back(request, fallback)
