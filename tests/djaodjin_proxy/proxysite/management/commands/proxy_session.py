"""Print, as JSON, the session the proxy forwards for each username given.

Built by the code that builds the forwarded session: rules'
``SessionDataMixin.serialize_request`` with the configured
``SESSION_SERIALIZER``, on top of the ``last_visited`` rules adds itself
(``perms.check_matched``). The tests compare the app's mockups with it.
"""

import json

from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand
from django.test import RequestFactory
from rules.mixins import SessionDataMixin
from rules.models import App, Rule
from rules.utils import JSONEncoder


class Command(BaseCommand):
    help = "Print the sessions the proxy forwards for these users, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+")

    def handle(self, *args, **options):
        app = App.objects.get(slug="badgeapp")
        rule = Rule.objects.filter(app=app, path="/").get()
        sessions = {}
        for username in options["usernames"]:
            request = RequestFactory().get("/app/")
            request.user = get_user_model().objects.get(username=username)
            request.session = SessionStore()
            session = {"last_visited": None}
            session.update(SessionDataMixin.serialize_request(request, app, rule))
            sessions[username] = session
        # Through JSON as the proxy encodes it (datetimes as ISO 8601 strings).
        self.stdout.write(json.dumps(sessions, cls=JSONEncoder, ensure_ascii=False))
