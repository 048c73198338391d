from django.conf import settings

from core.web.forms.preferences import LanguageForm


def site(request):
    """What base.html needs on every page: who is signed in, and how; the language switcher."""
    return {
        "identity": getattr(request, "identity", None),
        "mockup_login": settings.MOCKUP_LOGIN,
        "logout_url": settings.DJAODJIN_LOGOUT_URL,
        "language_form": LanguageForm(next_url=request.get_full_path()),
        "time_zone_cookie": settings.TIME_ZONE_COOKIE_NAME,
    }
