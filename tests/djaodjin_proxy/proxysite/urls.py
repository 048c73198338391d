"""djaoapp's order: its own login and logout pages first, then every other
path goes through the rules (forwarded, or a redirect to the login page)."""

from django.urls import include, path, re_path
from signup.views.auth import SigninView, SignoutView

from proxysite.views import AppProxyView

urlpatterns = [
    # signup's JSON login and register (its login page links them); /api/auth
    # does not clash with the app's API, which djaoapp forwards like any path.
    path("api/", include("signup.urls.api.auth")),
    path("login/", SigninView.as_view(), name="login"),
    path("logout/", SignoutView.as_view(), name="logout"),
    re_path(r"^(?P<page>\S+)?", AppProxyView.as_view(), name="rules_page"),
]
