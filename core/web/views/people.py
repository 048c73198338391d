"""A person's email addresses: see them, add one, confirm it by its link, remove one.

The entry points the proxy links are here too: ``/app/`` (where it sends a
login without ``?next=``) and ``/app/<organisation>/`` (its user menu).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import access
from core.models import EmailAddress
from core.selectors.people import email_addresses_of
from core.services import people as people_services
from core.web.forms.base import add_service_errors
from core.web.forms.people import EmailAddressForm


@require_safe
def app_entry(request):
    """Where the proxy lands someone who signed in without ``?next=``: their home."""
    return redirect("home")


@require_safe
def app_organisation(request, org):
    """The proxy's menu links each organisation: its badges for a manager, home for a member."""
    identity = request.identity
    if identity.manages(org):
        return redirect("badge-list", org=org)
    access.member_organisation_or_404(identity, org)
    return redirect("home")


@require_http_methods(["GET", "POST"])
def my_emails(request):
    identity = request.identity
    form = EmailAddressForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                address = people_services.email_address_add(
                    user=request.user, session_email=identity.email, email=form.cleaned_data["email"]
                )
            except ValidationError as err:
                add_service_errors(form, err)
            else:
                messages.success(
                    request,
                    _("We sent a link to %(email)s: open it to confirm the address is yours.")
                    % {"email": address.email},
                )
                return redirect("my-emails")
    context = {
        "form": form,
        "session_email": identity.email,
        "addresses": email_addresses_of(identity),
    }
    return render(request, "core/my_emails.html", context, status=status)


@require_POST
def my_email_resend(request, address_id):
    address = access.owned_email_address_or_404(request.user, address_id)
    try:
        people_services.email_address_resend(address=address)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("We sent a new link to %(email)s.") % {"email": address.email})
    return redirect("my-emails")


@require_POST
def my_email_remove(request, address_id):
    address = access.owned_email_address_or_404(request.user, address_id)
    people_services.email_address_remove(address=address)
    messages.success(request, _("%(email)s is removed from your addresses.") % {"email": address.email})
    return redirect("my-emails")


@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    """The link mailed to an address. GET asks, POST confirms: mail scanners open links."""
    try:
        address = people_services.pending_address_for(user=request.user, token=token)
    except EmailAddress.DoesNotExist as err:  # someone else's link, or a removed address
        raise Http404("No such email address.") from err
    except ValidationError as err:
        return render(request, "core/email_confirm.html", {"error": " ".join(err.messages)}, status=400)
    if request.method == "POST":
        try:
            people_services.email_address_confirm(user=request.user, token=token)
        except ValidationError as err:
            context = {"address": address, "error": " ".join(err.messages)}
            return render(request, "core/email_confirm.html", context, status=409)
        messages.success(
            request, _("%(email)s is confirmed: badges awarded to it are yours.") % {"email": address.email}
        )
        return redirect("home")
    return render(request, "core/email_confirm.html", {"address": address})
