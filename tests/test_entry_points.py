"""The servers' entry points load the app."""

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler


def test_gunicorn_serves_the_wsgi_application():
    from badgeapp.wsgi import application

    assert isinstance(application, WSGIHandler)


def test_an_asgi_server_gets_the_asgi_application():
    from badgeapp.asgi import application

    assert isinstance(application, ASGIHandler)
