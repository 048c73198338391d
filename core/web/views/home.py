"""An employee's home: their badges, the badges they imported, the badges they can earn."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.selectors.home import home_for, home_narrowed
from core.selectors.learning import learning_by_badge
from core.selectors.people import emails_of
from core.web.forms.home import HomeFilterForm

# A large company offers hundreds of badges: the first ones, then a page at a time.
OFFERED_PER_PAGE = 24


@require_safe
def home(request):
    identity = request.identity
    home = home_for(identity, emails_of(identity), request.user)
    form = HomeFilterForm(request.GET, organisations=home["award_organisations"])
    chosen = form.values()
    context = home_narrowed(home, organisation=chosen["organisation"], status=chosen["status"])
    context.update({"form": form, "narrowed": bool(chosen["organisation"] or chosen["status"])})
    context["offered"] = page = Paginator(context["offered"], OFFERED_PER_PAGE).get_page(
        request.GET.get("offered")
    )
    # This page's badges, each with the learning it requires and how far I am.
    learning = learning_by_badge(page.object_list, context["emails"])
    context["offered_cards"] = [(badge, learning.get(badge.pk)) for badge in page.object_list]
    return render(request, "core/home.html", context)
