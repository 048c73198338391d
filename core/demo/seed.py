"""Demo data for development, built through the same services as real use.

``make run`` calls :func:`seed_demo` on every start, so it is idempotent and
quick: a badge is created only if its organisation has no badge with that slug,
an award only if nobody gave that badge to that email yet. What each mockup
user finds:

- alice (manager of Chamoix Coworking): six awards, one with evidence and a
  narrative, one of an archived badge, one from another organisation
  (Snake Oil Learning 🐍); the badges she manages have holders to page through.
- bob (contributor of cowork): an expired award, a revoked one with its reason,
  and active ones; badges his organisation offers that he does not hold.
- bob also has learning records (``core.demo.learning``): half-way through Fire
  Warden, and Accessibility Essentials awarded automatically from them.
- hana (manager of Snake Oil Learning 🐍): Unicode and emoji badge names.
- xia (a personal profile only): nothing, on purpose: the new user's empty state.
- Globex Academy (``globex-demo``), a demo issuer nobody belongs to, gave bob one
  badge: its hosted assertion is what bob can import at /imports/ in development
  (``make run`` lets the import fetch from this machine: ``OPENBADGES_FETCH_LOOPBACK``).
- yuki (contributor of cowork, no personal profile): her session carries no
  email; an award to yuki.tanaka@cowork.net waits until she adds and confirms it.

People who never visited hold awards too (Zoë Ødegård, 李雷, ...): their awards
wait for them under their email address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.demo.assets import png_upload, svg_upload
from core.demo.learning import seed_learning
from core.domain.identity import OrganisationRef, SessionIdentity, clean_email
from core.domain.mockups import load_mockup_sessions
from core.domain.openbadges.documents import assertion_id
from core.models import Award, Badge, Organisation
from core.services.accounts import identity_sync, organisations_sync
from core.services.awards import award_batch_create, award_revoke
from core.services.badges import badge_archive, badge_create
from core.services.recipients import Recipient


@dataclass(frozen=True)
class DemoBadge:
    slug: str
    name: str
    description: str
    criteria: str
    tags: tuple[str, ...]
    # ("png", label, colour, shape) drawn with Pillow, or ("svg", file in core/demo_assets/).
    image: tuple[str, ...]
    validity_days: int | None = None
    criteria_url: str = ""
    archived: bool = False


@dataclass(frozen=True)
class DemoAward:
    badge: str  # the badge's slug
    email: str
    name: str = ""
    issued_days_ago: int = 30
    evidence_url: str = ""
    narrative: str = ""
    revoked_reason: str = ""


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    manager: str  # the mockup username who designs and awards ("": nobody, a demo issuer)
    badges: tuple[DemoBadge, ...]
    awards: tuple[DemoAward, ...]


# People who never signed in: their awards wait for them under their email.
COWORK_COLLEAGUES = (
    ("zoe.odegard@cowork.net", "Zoë Ødegård"),
    ("li.lei@cowork.net", "李雷"),
    ("ngozi.adebayo@cowork.net", "Ngozi Adébáyọ̀"),
    ("matheo.dupont@cowork.net", "Mathéo Dupont 🚴"),
    ("alexandra.pappa@cowork.net", "Αλεξάνδρα Παππά"),
    ("dmitri.sokolov@cowork.net", "Дмитрий Соколов"),
    ("fatima.zahra@cowork.net", "فاطمة الزهراء"),
    ("mai.nguyen@cowork.net", "Nguyễn Thị Mai"),
    ("minjun.kim@cowork.net", "김민준"),
    ("priya.raghunathan@cowork.net", "Priya Raghunathan"),
    ("jose.nunez@cowork.net", "José Ángel Núñez"),
    ("lukasz.wrobel@cowork.net", "Łukasz Wróbel"),
    ("sean.obrien@cowork.net", "Seán O'Brien"),
    ("ayse.yilmaz@cowork.net", "Ayşe Yılmaz"),
    ("shira.cohen@cowork.net", "שירה כהן"),
    ("sakura.tanaka@cowork.net", "田中 さくら"),
    ("kwame.mensah@cowork.net", "Kwame Mensah"),
    ("emilie.cote@cowork.net", "Émilie Côté 🎨"),
    ("guest.speaker@cowork.net", ""),  # no name given: pages fall back to the email
)

COWORK = DemoOrganisation(
    slug="cowork",
    manager="alice",
    badges=(
        DemoBadge(
            slug="first-aid-at-work",
            name="First Aid at Work",
            description=(
                "Trained to give first aid in the workspace: recovery position, CPR, "
                "using the defibrillator at reception, and calling for help."
            ),
            criteria=(
                "Attend the full one-day course with our partner trainer, pass the practical "
                "assessment on the training mannequin, and know where the first-aid kits are."
            ),
            criteria_url="https://www.hse.gov.uk/firstaid/",
            tags=("Safety", "Health"),
            image=("png", "FA", "#d63b3b", "shield"),
            validity_days=3 * 365,
        ),
        DemoBadge(
            slug="python-foundations",
            name="Python Foundations",
            description=(
                "Writes small, readable Python programs: variables, functions, lists and "
                "dictionaries, reading files, and using a virtual environment."
            ),
            criteria=(
                "Complete the six lunchtime sessions and share a script that automates "
                "something real in the coworking space (bookings, invoices, the coffee rota)."
            ),
            tags=("Programming", "Python"),
            image=("png", "PY", "#2f6fd6", "circle"),
        ),
        DemoBadge(
            slug="data-privacy-2026",
            name="Data Privacy 2026",
            description=(
                "Knows how we handle members' personal data under the GDPR: what we collect, "
                "why, how long we keep it, and what to do after a breach."
            ),
            criteria="Complete this year's e-learning module and score at least 80% on its quiz.",
            tags=("Compliance", "GDPR"),
            image=("png", "DP", "#1f9d6b", "shield"),
            validity_days=365,
        ),
        DemoBadge(
            slug="mentor",
            name="Mentor",
            description="Helps new members find their feet: introductions, tools, and a friendly ear.",
            criteria=(
                "Mentor at least two new members through their first month, with a check-in "
                "every week, and be nominated by one of them."
            ),
            tags=("Leadership", "Community"),
            image=("svg", "mentor.svg"),
        ),
        DemoBadge(
            slug="fire-warden",
            name="Fire Warden",
            description="Leads the evacuation of their floor and checks the fire doors every month.",
            criteria="Attend the fire warden course and lead one evacuation drill.",
            tags=("Safety",),
            image=("png", "FW", "#e8822a", "circle"),
            validity_days=2 * 365,
        ),
        DemoBadge(
            slug="accessibility-essentials",
            name="Accessibility Essentials",
            description="Makes documents, events and spaces that everyone can use.",
            criteria=(
                "Complete the accessibility essentials course and pass its assessment (70%): "
                "the badge is awarded automatically from the learning records."
            ),
            tags=("Inclusion",),
            image=("png", "A11Y", "#5b4bd6", "circle"),
        ),
        DemoBadge(
            slug="community-host",
            name="Community Host",
            description="Runs events that bring members together: breakfasts, talks, workshops.",
            criteria="Host three community events in a year, each with at least ten members.",
            tags=("Community", "Events"),
            image=("png", "CH", "#0f8b8d", "circle"),
        ),
        DemoBadge(
            slug="open-day-volunteer-2025",
            name="Open Day Volunteer 2025",
            description="Welcomed visitors at the 2025 open day.",
            criteria="Volunteer for at least half a day at the 2025 open day.",
            tags=("Community", "Events"),
            image=("png", "OD", "#8a8f98", "circle"),
            archived=True,  # the open day is over: no new awards, the old ones stay valid
        ),
    ),
    awards=(
        DemoAward(
            "python-foundations",
            "alice@cowork.net",
            "Alice Martin",
            issued_days_ago=210,
            evidence_url="https://github.com/chamoix/booking-reminders",
            narrative=(
                "Alice wrote the script that emails members the day before their meeting-room "
                "booking. It runs every evening and cut no-shows by half."
            ),
        ),
        DemoAward("first-aid-at-work", "alice@cowork.net", "Alice Martin", issued_days_ago=120),
        DemoAward("data-privacy-2026", "alice@cowork.net", "Alice Martin", issued_days_ago=250),
        DemoAward(
            "mentor",
            "alice@cowork.net",
            "Alice Martin",
            issued_days_ago=60,
            narrative="Mentored Zoë and Mathéo through their first month; both nominated her.",
        ),
        DemoAward("open-day-volunteer-2025", "alice@cowork.net", "Alice Martin", issued_days_ago=400),
        DemoAward("python-foundations", "bob@cowork.net", "Bob Lefèvre", issued_days_ago=180),
        # Issued more than three years ago: expired last month.
        DemoAward("first-aid-at-work", "bob@cowork.net", "Bob Lefèvre", issued_days_ago=3 * 365 + 35),
        DemoAward("data-privacy-2026", "bob@cowork.net", "Bob Lefèvre", issued_days_ago=240),
        DemoAward(
            "fire-warden",
            "bob@cowork.net",
            "Bob Lefèvre",
            issued_days_ago=40,
            revoked_reason=(
                "Awarded by mistake: Bob's fire warden course was cancelled. "
                "He is booked on the next session."
            ),
        ),
        DemoAward(
            "community-host",
            "bob@cowork.net",
            "Bob Lefèvre",
            issued_days_ago=90,
            evidence_url="https://cowork.net/events/2026/",
            narrative="Bob hosted the spring breakfasts, the Rust meetup and the repair café.",
        ),
        DemoAward("open-day-volunteer-2025", "bob@cowork.net", "Bob Lefèvre", issued_days_ago=400),
        DemoAward("open-day-volunteer-2025", "li.lei@cowork.net", "李雷", issued_days_ago=400),
        # yuki's session carries no email: she sees this once she adds and confirms it.
        DemoAward("mentor", "yuki.tanaka@cowork.net", "Yuki Tanaka", issued_days_ago=10),
        DemoAward("mentor", "zoe.odegard@cowork.net", "Zoë Ødegård", issued_days_ago=15),
        DemoAward("fire-warden", "kwame.mensah@cowork.net", "Kwame Mensah", issued_days_ago=300),
        DemoAward("community-host", "emilie.cote@cowork.net", "Émilie Côté 🎨", issued_days_ago=20),
        # Enough holders to page through and search on the managers' pages.
        *(
            DemoAward("python-foundations", email, name, issued_days_ago=5 + 37 * i % 700)
            for i, (email, name) in enumerate(COWORK_COLLEAGUES)
        ),
        *(
            DemoAward("data-privacy-2026", email, name, issued_days_ago=3 + 23 * i % 300)
            for i, (email, name) in enumerate(COWORK_COLLEAGUES)
        ),
        *(
            DemoAward("first-aid-at-work", email, name, issued_days_ago=200 + 71 * i % 900)
            for i, (email, name) in enumerate(COWORK_COLLEAGUES[::3])
        ),
    ),
)

SNAKEOIL = DemoOrganisation(
    slug="snakeoil",
    manager="hana",
    badges=(
        DemoBadge(
            slug="pythonista",
            name="Pythonista 🐍",
            description="Fluent in idiomatic Python: comprehensions, generators, context managers, typing.",
            criteria="Finish the 8-week Pythonista track and pass its code review with a mentor.",
            tags=("Python", "🐍"),
            image=("png", "PY", "#3b7d3b", "circle"),
        ),
        DemoBadge(
            slug="cafe-barista",
            name="Café ☕ Barista",
            description="Pulls a balanced espresso and steams milk for latte art, safely and cleanly.",
            criteria="Pull three espressos within 25–30 s and pour a heart, watched by a trainer.",
            tags=("Hospitality", "Café ☕"),
            image=("png", "CB", "#7a4a2a", "shield"),
            validity_days=2 * 365,
        ),
        DemoBadge(
            slug="unicode-wrangler",
            name="Unicode Wrangler ✨",
            description="Handles text in any script: encodings, normalisation, collation, and emoji 👩🏽‍💻.",
            criteria="Fix a real bug involving non-Latin text and explain the fix to the class.",
            tags=("Text", "i18n"),
            image=("svg", "unicode-wrangler.svg"),
        ),
    ),
    awards=(
        DemoAward("pythonista", "hana@snakeoil.example", "Hana Sato 🌸", issued_days_ago=500),
        DemoAward("cafe-barista", "hana@snakeoil.example", "Hana Sato 🌸", issued_days_ago=100),
        DemoAward("unicode-wrangler", "hana@snakeoil.example", "Hana Sato 🌸", issued_days_ago=45),
        # alice took a course outside her organisation.
        DemoAward(
            "pythonista",
            "alice@cowork.net",
            "Alice Martin",
            issued_days_ago=75,
            evidence_url="https://github.com/alice-martin/advent-of-code-2025",
        ),
        DemoAward("pythonista", "sofia.papadopoulou@example.gr", "Σοφία Παπαδοπούλου", issued_days_ago=33),
        DemoAward("pythonista", "ivan.petrov@example.ru", "Иван Петров", issued_days_ago=12),
        DemoAward("cafe-barista", "mohammed.ali@example.eg", "محمد علي", issued_days_ago=800),
        DemoAward("cafe-barista", "olafur@example.is", "Ólafur Arnalds ☕", issued_days_ago=20),
        DemoAward(
            "unicode-wrangler",
            "jose.nunez@example.mx",
            "José Ñúñez 🌮",
            issued_days_ago=8,
            revoked_reason="Duplicate of José's award under his work address.",
        ),
    ),
)

# Another issuer, to try importing (README, "Trying an import"): no mockup user
# belongs to it; its assertion of this badge to bob is hosted by the app like any.
DEMO_ISSUER = OrganisationRef(
    slug="globex-demo", printable_name="Globex Academy (demo issuer)", email="badges@globex.example"
)
DEMO_IMPORT_EMAIL = "bob@cowork.net"
GLOBEX = DemoOrganisation(
    slug=DEMO_ISSUER.slug,
    manager="",
    badges=(
        DemoBadge(
            slug="open-badges-explorer",
            name="Open Badges Explorer",
            description="Brought a badge from another issuer into their badgeapp profile.",
            criteria="Import this badge's assertion URL at My badges › Import.",
            tags=("Demo",),
            image=("png", "OB", "#1f5f8b", "circle"),
        ),
    ),
    awards=(DemoAward("open-badges-explorer", DEMO_IMPORT_EMAIL, "Bob", issued_days_ago=3),),
)

DEMO_ORGANISATIONS = (COWORK, SNAKEOIL, GLOBEX)


def _image_upload(spec: DemoBadge):
    kind, *args = spec.image
    if kind == "svg":
        return svg_upload(args[0])
    label, colour, shape = args
    return png_upload(f"{spec.slug}.png", label, colour, shape=shape)


def _seed_badges(
    org: Organisation, actor: User | None, specs: tuple[DemoBadge, ...]
) -> tuple[dict[str, Badge], int]:
    badges = {badge.slug: badge for badge in org.badges.all()}
    created = 0
    for spec in specs:
        if spec.slug in badges:
            continue
        badges[spec.slug] = badge_create(
            organisation=org,
            actor=actor,
            name=spec.name,
            slug=spec.slug,
            description=spec.description,
            criteria_narrative=spec.criteria,
            criteria_url=spec.criteria_url,
            image=_image_upload(spec),
            tags=spec.tags,
            validity_days=spec.validity_days,
        )
        created += 1
    return badges, created


def _seed_awards(badges: dict[str, Badge], actor: User | None, specs: tuple[DemoAward, ...]) -> int:
    """Award what is missing, then move the dates into the past (demo data only)."""
    held = set(Award.objects.filter(badge__in=badges.values()).values_list("badge__slug", "recipient_email"))
    missing = [
        spec
        for spec in specs
        if (spec.badge, clean_email(spec.email)) not in held and not badges[spec.badge].is_archived
    ]
    # One batch per badge and evidence, as a manager would submit them.
    batches: dict[tuple[str, str, str], list[DemoAward]] = {}
    for spec in missing:
        batches.setdefault((spec.badge, spec.evidence_url, spec.narrative), []).append(spec)
    now = timezone.now()
    for (slug, evidence_url, narrative), batch in batches.items():
        badge = badges[slug]
        result = award_batch_create(
            badge=badge,
            actor=actor,
            recipients=[Recipient(email=clean_email(s.email), name=s.name) for s in batch],
            evidence_url=evidence_url,
            narrative=narrative,
            notify=False,  # seeding sends no email
        )
        by_email = {award.recipient_email: award for award in result.awarded}
        for spec in batch:
            award = by_email[clean_email(spec.email)]
            issued_on = now - timedelta(days=spec.issued_days_ago)
            Award.objects.filter(pk=award.pk).update(
                issued_on=issued_on, expires_on=badge.expiry_for(issued_on)
            )
            if spec.revoked_reason:
                award_revoke(award=award, actor=actor, reason=spec.revoked_reason)
    return len(missing)


def _seed_organisation(spec: DemoOrganisation) -> tuple[int, int]:
    if not spec.manager:  # a demo issuer: known to the app as a session would make it known
        organisations_sync(refs=(DEMO_ISSUER,))
    org = Organisation.objects.filter(slug=spec.slug).first()
    actor = User.objects.filter(username=spec.manager).first() if spec.manager else None
    if org is None or (spec.manager and actor is None):
        return 0, 0  # someone edited mockups/: seed what the sessions still describe
    badges, badges_created = _seed_badges(org, actor, spec.badges)
    awards_created = _seed_awards(badges, actor, spec.awards)
    for badge_spec in spec.badges:
        if badge_spec.archived:
            badge_archive(badge=badges[badge_spec.slug], actor=actor)
    return badges_created, awards_created


def seed_demo() -> str:
    """Create the mockup users and their organisations, as their first visit would,
    then the badges and awards behind every screen."""
    identities = [SessionIdentity.from_session(s) for s in load_mockup_sessions().values()]
    with transaction.atomic():
        for identity in identities:
            user, created = User.objects.get_or_create(username=identity.username)
            identity_sync(user=user, identity=identity, created=created)
        badges_created = awards_created = 0
        for org_spec in DEMO_ORGANISATIONS:
            badges, awards = _seed_organisation(org_spec)
            badges_created += badges
            awards_created += awards
        cowork = {b.slug: b for b in Badge.objects.filter(organisation__slug=COWORK.slug)}
        statements = (
            seed_learning(cowork) if {"fire-warden", "accessibility-essentials"} <= cowork.keys() else 0
        )
    return (
        f"{len(identities)} mockup users, {badges_created} new badges, {awards_created} new awards, "
        f"{statements} new learning records"
        if badges_created or awards_created or statements
        else f"{len(identities)} mockup users, badges, awards and learning records already there"
    )


def demo_import_url() -> str | None:
    """The assertion URL to paste at /imports/ as bob (the demo issuer's award to him)."""
    award = (
        Award.objects.filter(badge__organisation__slug=DEMO_ISSUER.slug, recipient_email=DEMO_IMPORT_EMAIL)
        .only("pk")
        .first()
    )
    return assertion_id(award) if award else None
