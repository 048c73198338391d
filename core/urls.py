from django.urls import path

from core.views import mockup_login, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", mockup_login.login_view, name="login"),
    path("logout/", mockup_login.logout_view, name="logout"),
]
