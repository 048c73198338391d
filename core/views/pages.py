from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.selectors import home_for


@require_safe
def home(request):
    return render(request, "core/home.html", home_for(request.identity))
