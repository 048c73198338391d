"""Set the test proxy up as an operator would in djaoapp's dashboard.

Idempotent: run it again to switch the forwarding mode or the shared key.

``--people FILE`` (JSON) describes who can sign in and their roles::

    {"users": [{"username": "alice", "password": "...", "first_name": "Alice",
                "last_name": "Martin", "email": "alice@example.com",
                "personal_profile": true}],
     "organizations": [{"slug": "cowork", "full_name": "Chamoix Coworking",
                        "email": "hello@cowork.example", "managers": ["alice"],
                        "contributors": ["bob"]}]}

``personal_profile`` is what djaoapp's "personal registration" does at sign-up
(saas' ``create_organization_from_user``: an organisation whose slug is the
username, the user its manager); without it, as with djaoapp's default "user
registration", the session names no organisation carrying the user's email.
"""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from rules.models import App, Rule
from saas.models import Organization, RoleDescription

BROKER = "proxy-broker"
PROCESSOR_PK = 1  # saas' default SAAS["PROCESSOR"]["INSTANCE_PK"]
BACKENDS = {"cookie": App.COOKIE_SESSION_BACKEND, "jwt": App.JWT_SESSION_BACKEND}
ANYONE, AUTHENTICATED = 0, 1


class Command(BaseCommand):
    help = "Configure the proxied app, its access rules, and the people who sign in."

    def add_arguments(self, parser):
        parser.add_argument("--entry-point", required=True, help="the app's URL, e.g. http://127.0.0.1:8123")
        parser.add_argument("--enc-key", required=True, help="the key shared with DJAODJIN_SECRET_KEY")
        parser.add_argument("--session-backend", choices=sorted(BACKENDS), required=True)
        parser.add_argument(
            "--public",
            action="append",
            default=[],
            help="a path prefix forwarded without a login (repeat), e.g. /awards/",
        )
        parser.add_argument("--people", help="a JSON file of users and organisations")

    @transaction.atomic
    def handle(self, *args, **options):
        if not Organization.objects.filter(pk=PROCESSOR_PK).exists():
            # saas expects its payment processor's organisation first, and
            # cannot save() that very first one (it is its own processor):
            # djaoapp loads it from a fixture, which skips save() too.
            Organization.objects.bulk_create(
                [
                    Organization(
                        pk=PROCESSOR_PK,
                        slug="proxy-processor",
                        full_name="Processor",
                        processor_id=PROCESSOR_PK,
                    )
                ]
            )
        broker, _ = Organization.objects.get_or_create(
            slug=BROKER, defaults={"full_name": "DjaoDjin test proxy", "email": "proxy@localhost"}
        )
        for slug, title in (("manager", "Manager"), ("contributor", "Contributor")):
            RoleDescription.objects.get_or_create(
                slug=slug, organization=None, defaults={"title": title, "skip_optin_on_grant": True}
            )
        app, _ = App.objects.get_or_create(slug="badgeapp", defaults={"account": broker})
        app.account = broker
        app.entry_point = options["entry_point"]
        app.enc_key = options["enc_key"]
        app.session_backend = BACKENDS[options["session_backend"]]
        app.save()
        # The rules, in order: public prefixes forwarded to anyone, then
        # everything else forwarded to signed-in users only.
        Rule.objects.filter(app=app).delete()
        paths = [(prefix, ANYONE) for prefix in options["public"]] + [("/", AUTHENTICATED)]
        for rank, (prefix, rule_op) in enumerate(paths, start=1):
            Rule.objects.create(app=app, rank=rank, path=prefix, rule_op=rule_op, is_forward=True)
        if options["people"]:
            with open(options["people"], encoding="utf-8") as people:
                self.load_people(json.load(people))

    @staticmethod
    def load_people(people):
        users = {}
        for spec in people.get("users", []):
            user, created = get_user_model().objects.get_or_create(
                username=spec["username"],
                defaults={
                    "first_name": spec.get("first_name", ""),
                    "last_name": spec.get("last_name", ""),
                    "email": spec.get("email", ""),
                },
            )
            if created:
                # Only once: a new password hash would sign the person out.
                user.set_password(spec["password"])
                user.save()
            users[user.username] = user
            if spec.get("personal_profile") and not Organization.objects.filter(slug=user.username).exists():
                Organization.objects.create_organization_from_user(user)
        for spec in people.get("organizations", []):
            organization, _ = Organization.objects.update_or_create(
                slug=spec["slug"], defaults={"full_name": spec["full_name"], "email": spec.get("email", "")}
            )
            for role in ("manager", "contributor"):
                for username in spec.get(f"{role}s", []):
                    organization.add_role_grant(users[username], role, force_skip_optin=True)
