"""An employee's home: their badges, the badges they imported, the badges they can earn."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.selectors.home import home_for
from core.selectors.people import emails_of


@require_safe
def home(request):
    identity = request.identity
    return render(request, "core/home.html", home_for(identity, emails_of(identity), request.user))
