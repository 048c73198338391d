"""Managers find a person of their organisation, and see what they hold there."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core import access
from core.selectors import directory as selectors


@require_safe
def people_search(request, org):
    """One search box: a name, an email, a username; the people it finds, a page at a time."""
    organisation = access.managed_organisation_or_404(request.identity, org)
    search = selectors.clean_search(request.GET.get("q", ""))
    people = selectors.search_people(organisation, search, page=request.GET.get("page")) if search else None
    return render(
        request,
        "core/people_search.html",
        {
            "organisation": organisation,
            "search": search,
            "people": people,
            "pager_extra": f"{urlencode({'q': search})}&",
        },
    )


@require_safe
def person_detail(request, org):
    """One person (``?email=``): every award of the organisation they hold, and their learning."""
    organisation = access.managed_organisation_or_404(request.identity, org)
    person = selectors.person_overview(organisation, request.GET.get("email", ""))
    if person is None:
        raise Http404("No such person.")
    return render(request, "core/person_detail.html", {"organisation": organisation, "person": person})
