"""The language switcher: Django's ``set_language``, and the choice kept for emails."""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from core.services.preferences import preference_set


@require_POST
def set_language(request):
    """Django's view sets the language cookie and goes back to ``next``.

    The proxy's session cannot be written, so the cookie is what pages follow;
    a signed-in person's choice is stored as well, for the emails they get while away.
    """
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        preference_set(
            user=request.user,
            language=language,
            time_zone=request.COOKIES.get(settings.TIME_ZONE_COOKIE_NAME, ""),
        )
    return response
