"""Development login: pick a mockup user, get the cookie the proxy would send."""

from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.domain.identity import SessionIdentity
from core.domain.mockups import load_mockup_sessions


def _session_store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _require_mockup_login() -> None:
    if not settings.MOCKUP_LOGIN:
        raise Http404("Mockup login is only available in development.")


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


@require_http_methods(["GET", "POST"])
def login_view(request):
    _require_mockup_login()
    sessions = load_mockup_sessions()
    error = ""
    if request.method == "POST":
        username = request.POST.get("username", "")
        session = sessions.get(username)
        if session is None:
            error = _("There is no mockup user named “%(username)s”. Pick one from the list.") % {
                "username": username
            }
        else:
            store = _session_store_class()()
            # Exactly what the proxy forwards: the session, encrypted with the shared key.
            store._session_key = store.prepare(session, settings.DJAODJIN_SECRET_KEY)
            store.modified = True
            request.session = store
            rotate_token(request)
            return redirect(_safe_next(request))
    users = [SessionIdentity.from_session(s) for s in sessions.values()]
    return render(
        request,
        "core/login.html",
        {"users": users, "error": error, "next": _safe_next(request)},
        status=400 if error else 200,
    )


@require_POST
def logout_view(request):
    _require_mockup_login()
    # An empty store makes the session middleware delete the cookie.
    request.session = _session_store_class()()
    messages.info(request, _("You are signed out."))
    return redirect("login")
