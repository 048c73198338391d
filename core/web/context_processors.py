from django.conf import settings


def site(request):
    """What base.html needs on every page: who is signed in, and how."""
    return {
        "identity": getattr(request, "identity", None),
        "mockup_login": settings.MOCKUP_LOGIN,
        "logout_url": settings.DJAODJIN_LOGOUT_URL,
    }
