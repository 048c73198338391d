"""A large, realistic data set for benchmarks: one company, its employees, badges and awards.

``seed_scale`` writes many rows per statement rather than through the services,
for speed (300,000 awards in seconds, not hours), but never restates a rule:
``expires_on`` comes from ``Badge.expiry_for``, statuses from ``award_status``,
the salt and any other field from the model's own defaults, and the database
checks every constraint (one current award per person and badge, a reason on
every revocation). It gives each (badge, person) pair at most one award,
lower-case emails, and awards only of badges that are not archived.

Every employee's email is ``local@<country>.<org slug>.example``, which is how
``scale_clear`` finds the users of one run.
"""

from __future__ import annotations

import io
import itertools
import math
import random
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from core.demo.assets import draw_badge_png
from core.models import Award, Badge, LearningStatement, Organisation, Status, award_status
from core.services.badges import suggest_slug

# --- Names ------------------------------------------------------------------
# "Native|latin" where the native script is not Latin; Latin names are folded
# to ASCII for the email address ("Łukasz" gives "lukasz").
NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("James", "Olivia", "Liam", "Emma", "Noah", "Charlotte", "Amelia", "Oliver", "Siobhán", "Jack"),
        ("Smith", "Johnson", "Williams", "Brown", "Taylor", "O'Connor", "Wilson", "Davies", "Walker",
         "Murphy"),
    ),
    "fr": (
        ("Amélie", "Théo", "Chloé", "Étienne", "Léa", "Hélène", "François", "Zoé", "Loïc", "Maëlle"),
        ("Lefèvre", "Dubois", "Moreau", "Girard", "Bérubé", "Mercier", "Leroy", "Faure", "Garnier",
         "Rousseau"),
    ),
    "de": (
        ("Jürgen", "Lena", "Matthias", "Sophie", "Lukas", "Anja", "Jörg", "Marie", "Björn", "Greta"),
        ("Müller", "Schröder", "Weiß", "Fischer", "Groß", "Hoffmann", "Schäfer", "Köhler", "Wagner",
         "Krüger"),
    ),
    "es": (
        ("José", "María", "Álvaro", "Lucía", "Sofía", "Martín", "Iñaki", "Camila", "Andrés", "Valentina"),
        ("García", "Núñez", "Rodríguez", "Peña", "López", "Martínez", "Ibáñez", "Sánchez", "Fernández",
         "Castaño"),
    ),
    "pt": (
        ("João", "Inês", "Gonçalo", "Beatriz", "Tomás", "Leonor", "Luís", "Ana", "Thiago", "Conceição"),
        ("Silva", "Gonçalves", "Magalhães", "Araújo", "Pereira", "Simões", "Lopes", "Oliveira", "Brandão",
         "Souza"),
    ),
    "it": (
        ("Giulia", "Lorenzo", "Francesca", "Niccolò", "Chiara", "Matteo", "Martina", "Gianluca"),
        ("Rossi", "Bianchi", "Esposito", "Romano", "Colombo", "Ricci", "D'Angelo", "Mancini"),
    ),
    "nl": (
        ("Sanne", "Daan", "Femke", "Sem", "Lotte", "Bram", "Eva", "Thijs"),
        ("de Vries", "van den Berg", "Jansen", "Bakker", "Visser", "Smit", "van Dijk", "Meijer"),
    ),
    "nordic": (
        ("Åsa", "Søren", "Ingrid", "Mikkel", "Linnéa", "Håkon", "Freja", "Ørjan", "Sigrid", "Astrid"),
        ("Johansson", "Sørensen", "Lindqvist", "Nørgaard", "Åberg", "Halvorsen", "Bjørklund", "Dahl"),
    ),
    "fi": (
        ("Aino", "Eero", "Päivi", "Jyrki", "Sanna", "Mikko", "Tuuli", "Väinö"),
        ("Virtanen", "Mäkinen", "Häkkinen", "Nieminen", "Järvinen", "Koskinen", "Heikkilä", "Lehtonen"),
    ),
    "is": (
        ("Guðrún", "Sigurður", "Þóra", "Ólafur", "Hildur", "Einar", "Björk", "Ragnar"),
        ("Jónsson", "Sigurðardóttir", "Guðmundsson", "Þórsdóttir", "Einarsson", "Magnúsdóttir", "Ólafsson"),
    ),
    "pl": (
        ("Łukasz", "Małgorzata", "Paweł", "Zofia", "Wojciech", "Agnieszka", "Michał", "Katarzyna"),
        ("Wróbel", "Kowalczyk", "Wiśniewski", "Nowak", "Żak", "Dąbrowski", "Woźniak", "Kamiński"),
    ),
    "cs": (
        ("Jiří", "Kateřina", "Tomáš", "Lucie", "Ondřej", "Tereza", "Petr", "Barbora"),
        ("Novák", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý", "Horák", "Němec"),
    ),
    "hu": (
        ("Zsófia", "Bence", "Réka", "Ádám", "Eszter", "Gergő", "Katalin", "Levente"),
        ("Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Fülöp"),
    ),
    "ro": (
        ("Ioana", "Ștefan", "Andreea", "Mihai", "Alexandra", "Răzvan", "Elena", "Bogdan"),
        ("Popescu", "Ionescu", "Țurcanu", "Stănescu", "Dumitrescu", "Munteanu", "Constantinescu", "Bălan"),
    ),
    "el": (
        ("Γιώργος|giorgos", "Μαρία|maria", "Νίκος|nikos", "Ελένη|eleni", "Δημήτρης|dimitris",
         "Σοφία|sofia", "Κώστας|kostas", "Αικατερίνη|aikaterini"),
        ("Παπαδόπουλος|papadopoulos", "Παππάς|pappas", "Οικονόμου|oikonomou", "Γεωργίου|georgiou",
         "Νικολάου|nikolaou", "Βλάχος|vlachos", "Αντωνίου|antoniou", "Μακρής|makris"),
    ),
    "tr": (
        ("Ayşe", "Mehmet", "Elif", "Çağan", "Zeynep", "Gökhan", "Şule", "İbrahim"),
        ("Yılmaz", "Kaya", "Demir", "Çelik", "Şahin", "Öztürk", "Aydın", "Doğan"),
    ),
    "ru": (
        ("Дмитрий|dmitry", "Анна|anna", "Сергей|sergey", "Екатерина|ekaterina", "Алексей|alexey",
         "Ольга|olga", "Иван|ivan", "Наталья|natalya"),
        ("Иванов|ivanov", "Смирнов|smirnov", "Кузнецов|kuznetsov", "Попов|popov", "Соколов|sokolov",
         "Лебедев|lebedev", "Козлов|kozlov", "Новиков|novikov"),
    ),
    "uk": (
        ("Олександр|oleksandr", "Оксана|oksana", "Андрій|andriy", "Ірина|iryna", "Богдан|bohdan",
         "Юлія|yuliia", "Тарас|taras", "Наталія|nataliia"),
        ("Шевченко|shevchenko", "Коваленко|kovalenko", "Бондаренко|bondarenko", "Ткаченко|tkachenko",
         "Мельник|melnyk", "Кравчук|kravchuk", "Олійник|oliinyk", "Лисенко|lysenko"),
    ),
    "he": (
        ("נועה|noa", "יוסף|yosef", "שירה|shira", "אברהם|avraham", "תמר|tamar", "דוד|david",
         "מאיה|maya", "איתי|itai"),
        ("כהן|cohen", "לוי|levi", "מזרחי|mizrahi", "פרץ|peretz", "ביטון|biton", "פרידמן|friedman",
         "שפירא|shapira", "אזולאי|azoulay"),
    ),
    "ar": (
        ("محمد|mohamed", "فاطمة|fatima", "أحمد|ahmed", "مريم|mariam", "يوسف|youssef", "ليلى|layla",
         "عمر|omar", "نور|nour"),
        ("الحسن|alhassan", "عبد الله|abdallah", "المصري|almasri", "الشريف|alsharif", "حداد|haddad",
         "الخطيب|alkhatib", "منصور|mansour", "سليمان|suleiman"),
    ),
    "in": (
        ("Priya", "Arjun", "अनन्या|ananya", "रोहन|rohan", "Aarav", "दिया|diya", "Vikram", "Kavya",
         "Lakshmi", "Siddharth"),
        ("Sharma", "Patel", "गुप्ता|gupta", "Iyer", "Reddy", "सिंह|singh", "Nair", "Mukherjee",
         "Venkataraman", "Bhattacharya"),
    ),
    "bn": (
        ("রহিম|rahim", "ফাতেমা|fatema", "তানভীর|tanvir", "নুসরাত|nusrat", "আরিফ|arif", "সাদিয়া|sadia"),
        ("হোসেন|hossain", "রহমান|rahman", "আহমেদ|ahmed", "চৌধুরী|chowdhury", "ইসলাম|islam", "খান|khan"),
    ),
    "zh": (
        ("伟|wei", "芳|fang", "娜|na", "秀英|xiuying", "敏|min", "静|jing", "磊|lei", "洋|yang",
         "子涵|zihan", "浩然|haoran"),
        ("王|wang", "李|li", "张|zhang", "刘|liu", "陈|chen", "杨|yang", "黄|huang", "赵|zhao",
         "周|zhou", "欧阳|ouyang"),
    ),
    "ja": (
        ("さくら|sakura", "翔太|shota", "陽菜|hina", "大輝|daiki", "結衣|yui", "蓮|ren", "美咲|misaki",
         "拓海|takumi"),
        ("佐藤|sato", "鈴木|suzuki", "高橋|takahashi", "田中|tanaka", "渡辺|watanabe", "伊藤|ito",
         "山本|yamamoto", "中村|nakamura"),
    ),
    "ko": (
        ("민준|minjun", "서연|seoyeon", "지호|jiho", "하은|haeun", "도윤|doyoon", "지우|jiwoo",
         "예준|yejun", "수아|sua"),
        ("김|kim", "이|lee", "박|park", "최|choi", "정|jung", "강|kang", "조|cho", "윤|yoon"),
    ),
    "vi": (
        ("Mai", "Tuấn", "Lan", "Dũng", "Hương", "Minh", "Thảo", "Quang"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"),
    ),
    "th": (
        ("สมชาย|somchai", "สุดา|suda", "ณัฐพล|nattapon", "ปิยะนุช|piyanuch", "อนันต์|anan", "วันเพ็ญ|wanpen"),
        ("ศรีสุข|srisuk", "วงศ์ใหญ่|wongyai", "แก้วมณี|kaewmanee", "บุญมา|boonma", "ทองดี|thongdee",
         "จันทร์เพ็ญ|chanpen"),
    ),
    "id": (
        ("Putri", "Budi", "Siti", "Agus", "Dewi", "Rizky", "Ayu", "Adi"),
        ("Santoso", "Wijaya", "Saputra", "Hidayat", "Kusuma", "Pratama", "Nugroho", "Lestari"),
    ),
    "ph": (
        ("José", "María", "Juan", "Angelica", "Mark", "Kristine", "Paolo", "Jasmine"),
        ("Santos", "Reyes", "Cruz", "Bautista", "Dela Cruz", "Ocampo", "Garcia", "Mendoza"),
    ),
    "africa": (
        ("Chukwuemeka", "Adébáyọ̀", "Ngozi", "Olúwaṣeun", "Kwame", "Akosua", "Wanjiru", "Kamau"),
        ("Okonkwo", "Adéyẹmí", "Mensah", "Boateng", "Otieno", "Njoroge", "Ọlábọ̀dé", "Eze"),
    ),
}  # fmt: skip

# How each culture writes a full name: family name first, and with or without a space.
FAMILY_FIRST = {"zh": "", "ja": " ", "ko": "", "hu": " ", "vi": " "}

# 50 countries: (code, name pool, relative head count).
COUNTRIES = (
    ("us", "en", 30), ("gb", "en", 10), ("ca", "en", 5), ("au", "en", 4), ("ie", "en", 2),
    ("za", "en", 2), ("nz", "en", 1), ("fr", "fr", 8), ("be", "fr", 2), ("ch", "de", 2),
    ("de", "de", 10), ("at", "de", 2), ("es", "es", 5), ("mx", "es", 6), ("ar", "es", 3),
    ("co", "es", 3), ("cl", "es", 2), ("pe", "es", 1), ("br", "pt", 8), ("pt", "pt", 2),
    ("it", "it", 4), ("nl", "nl", 3), ("se", "nordic", 2), ("no", "nordic", 1), ("dk", "nordic", 1),
    ("fi", "fi", 1), ("is", "is", 1), ("pl", "pl", 4), ("cz", "cs", 2), ("hu", "hu", 1),
    ("ro", "ro", 2), ("gr", "el", 1), ("tr", "tr", 3), ("ru", "ru", 2), ("ua", "uk", 2),
    ("il", "he", 2), ("eg", "ar", 2), ("sa", "ar", 1), ("ae", "ar", 2), ("in", "in", 20),
    ("bd", "bn", 2), ("cn", "zh", 12), ("tw", "zh", 2), ("jp", "ja", 5), ("kr", "ko", 3),
    ("vn", "vi", 3), ("th", "th", 2), ("id", "id", 3), ("ph", "ph", 4), ("ng", "africa", 3),
)  # fmt: skip

# Some people put an emoji in their name; one is a ZWJ sequence, one a flag.
EMOJI = ("🌸", "🚀", "🎸", "⚽", "🐍", "☕", "🌈", "🧗", "👩🏽‍💻", "🇧🇷", "✨", "🦊")
EMOJI_SHARE = 0.02

ASCII_FOLD = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d", "Đ": "D",
     "ı": "i", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "OE"}
)  # fmt: skip


def _split(entry: str) -> tuple[str, str]:
    """ "Дмитрий|dmitry" -> ("Дмитрий", "dmitry"); "Łukasz" -> ("Łukasz", "lukasz")."""
    native, _, latin = entry.partition("|")
    if not latin:
        decomposed = unicodedata.normalize("NFKD", native.translate(ASCII_FOLD))
        latin = "".join(c for c in decomposed if not unicodedata.combining(c))
    return native, "".join(c for c in latin.lower() if c.isascii() and c.isalnum())


# --- Badges -----------------------------------------------------------------
@dataclass(frozen=True)
class Category:
    key: str
    label: str  # drawn on the shared image
    colour: str
    shape: str
    validity_days: int | None
    topics: tuple[str, ...]  # "Name" or "Name|ascii-slug"
    tags: tuple[str, ...] = field(default=())


CATEGORIES = (
    Category("safety", "SA", "#d63b3b", "shield", 3 * 365, (
        "First Aid at Work", "Fire Warden", "Working at Height", "Forklift Operation", "Manual Handling",
        "Premiers secours", "Erste Hilfe", "Seguridad Laboral", "Electrical Safety",
        "Lab Safety 🧪|lab-safety",
    ), ("Safety",)),
    Category("compliance", "CO", "#1f9d6b", "shield", 365, (
        "Data Privacy", "Anti-Bribery", "Information Security Awareness", "Export Controls",
        "Code of Conduct", "Datenschutz", "Protection des données", "Insider Trading Rules",
    ), ("Compliance",)),
    Category("engineering", "EN", "#2f6fd6", "circle", None, (
        "Python", "Kubernetes", "SQL", "Rust", "Cloud Architecture", "Accessibility (WCAG)",
        "Secure Coding", "Machine Learning", "Observability", "PostgreSQL",
    ), ("Engineering",)),
    Category("leadership", "LE", "#6b4fc2", "circle", None, (
        "Mentor", "People Manager", "Coaching", "Feedback Culture", "Leading Remote Teams",
        "Führung im Wandel", "Inclusive Leadership",
    ), ("Leadership",)),
    Category("languages", "LA", "#0f8b8d", "circle", 2 * 365, (
        "English B2", "Français B1", "Deutsch A2", "Español B2", "日本語 N3|japanese-n3",
        "中文 HSK 4|chinese-hsk-4", "العربية A1|arabic-a1", "Português B1", "한국어 TOPIK II|korean-topik-2",
    ), ("Languages",)),
    Category("sales", "SL", "#e8822a", "circle", None, (
        "Negotiation", "Key Account Management", "CRM Power User", "Consultative Selling",
    ), ("Sales",)),
    Category("finance", "FI", "#3d5a80", "shield", None, (
        "Budgeting", "IFRS Essentials", "Excel Wizard 🧙|excel-wizard", "Procurement",
    ), ("Finance",)),
    Category("sustainability", "SU", "#4c9a2a", "circle", 2 * 365, (
        "Carbon Literacy 🌱|carbon-literacy", "Circular Design ♻️|circular-design", "Green Office",
    ), ("Sustainability", "🌱")),
    Category("customer", "CX", "#c2185b", "circle", None, (
        "Customer Empathy", "Complaint Handling", "Service Excellence ⭐|service-excellence",
    ), ("Customers",)),
    Category("wellbeing", "WB", "#00897b", "shield", 2 * 365, (
        "Mental Health First Aider 💚|mental-health-first-aider", "Ergonomics", "Mindful Meetings",
    ), ("Wellbeing",)),
    Category("product", "PD", "#8e44ad", "circle", None, (
        "Design Thinking", "UX Research", "Product Discovery", "Écriture inclusive|ecriture-inclusive",
    ), ("Product",)),
    Category("community", "CM", "#f2b632", "circle", None, (
        "Hackathon Winner 🏆|hackathon-winner", "Volunteer of the Month", "Conference Speaker",
        "Onboarding Buddy 🤝|onboarding-buddy",
    ), ("Community",)),
)  # fmt: skip

LEVELS = ("Foundations", "Practitioner", "Expert")
EDITIONS = ("2024", "2025", "2026")
SITES = ("", "EMEA", "Americas", "APAC", "Zürich", "São Paulo", "東京|tokyo", "Bengaluru", "Lagos", "Kraków")

REVOCATION_REASONS = (
    "Awarded by mistake: wrong person selected.",
    "The course was not completed: the final assessment is still missing.",
    "Duplicate award: the same person holds it under another address.",
    "The certificate it relied on was withdrawn by the provider.",
    "Fraudulent evidence: the submitted project was not the recipient's own work.",
)


@dataclass(frozen=True)
class BadgeSpec:
    slug: str
    name: str
    category: Category
    level: str


def badge_specs(count: int) -> list[BadgeSpec]:
    """``count`` distinct badges, varied from the first ones on (small runs see every category)."""
    specs: list[BadgeSpec] = []
    slugs: set[str] = set()
    for site in SITES:
        site_name, _, site_slug = site.partition("|")
        for position in range(max(len(c.topics) for c in CATEGORIES)):
            for variant in range(max(len(LEVELS), len(EDITIONS))):
                for category in CATEGORIES:
                    if position >= len(category.topics):
                        continue
                    topic_name, _, topic_slug = category.topics[position].partition("|")
                    level = (EDITIONS if category.validity_days == 365 else LEVELS)[variant % 3]
                    name = " ".join(p for p in (topic_name, level) if p)
                    if site_name:
                        name = f"{name} — {site_name}"
                    slug = suggest_slug(" ".join((topic_slug or topic_name, level, site_slug or site_name)))
                    if slug in slugs:
                        continue
                    slugs.add(slug)
                    specs.append(BadgeSpec(slug=slug, name=name, category=category, level=level))
                    if len(specs) == count:
                        return specs
    raise ValidationError(f"seed_scale can make at most {len(specs)} distinct badges.")


# --- The run ------------------------------------------------------------------
@dataclass
class ScaleResult:
    organisation: Organisation
    employees: int = 0
    badges: int = 0
    awards: int = 0
    expired: int = 0
    revoked: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def _timed(result: ScaleResult, phase: str) -> Callable[[], None]:
    start = time.perf_counter()

    def done() -> None:
        result.timings[phase] = time.perf_counter() - start

    return done


def scale_domain(slug: str) -> str:
    return f"{slug}.example"


def scale_users(slug: str):
    """The users a run for organisation ``slug`` created, found by their email domain."""
    return User.objects.filter(email__endswith=f".{scale_domain(slug)}")


def scale_clear(*, slug: str) -> int:
    """Delete an organisation made by ``seed_scale``, with its badges, awards and employees."""
    with transaction.atomic():
        awards, _ = Award.objects.filter(organisation__slug=slug).delete()
        # Its learning records (``--statements``): every one is about its academy's courses.
        LearningStatement.objects.filter(
            activity_id__startswith=f"https://academy.{scale_domain(slug)}/"
        ).delete()
        Badge.objects.filter(organisation__slug=slug).delete()
        Organisation.objects.filter(slug=slug).delete()
        scale_users(slug).delete()
    return awards


def _award_counts(rng: random.Random, badges: int, employees: int, awards: int) -> list[int]:
    """How many holders each badge gets: a few badges everybody holds (yearly compliance),
    a long tail that few do. Zipf-like, capped at the head count, summing to ``awards``."""
    weights = [1 / (rank + 1) ** 0.9 for rank in range(badges)]
    rng.shuffle(weights)
    counts = [0] * badges
    remaining, open_badges = awards, list(range(badges))
    while remaining and open_badges:
        total = sum(weights[b] for b in open_badges)
        share = {b: remaining * weights[b] / total for b in open_badges}
        for b in open_badges:
            counts[b] += min(math.floor(share[b]), employees - counts[b])
        remaining = awards - sum(counts)
        open_badges = [b for b in open_badges if counts[b] < employees]
        if remaining and all(math.floor(share[b]) == 0 for b in open_badges):
            for b in open_badges[:remaining]:  # the rounding leftovers, one each
                counts[b] += 1
            remaining = awards - sum(counts)
    return counts


class Employee(NamedTuple):
    username: str
    email: str
    first_name: str
    last_name: str
    full_name: str  # as their culture writes it: 王芳, Nagy Zsófia, Léa Moreau


class _Employees:
    """Generated people: names in their own script, ASCII emails, unique usernames."""

    def __init__(self, rng: random.Random, slug: str, taken_usernames: set[str]):
        self.rng, self.slug, self.taken = rng, slug, taken_usernames
        self.next_number: dict[str, int] = {}
        self.countries = [c for c, _, _ in COUNTRIES]
        self.cumulative_weights = list(itertools.accumulate(w for _, _, w in COUNTRIES))
        self.pools = {c: p for c, p, _ in COUNTRIES}

    def make(self) -> Employee:
        rng = self.rng
        country = rng.choices(self.countries, cum_weights=self.cumulative_weights)[0]
        pool = self.pools[country]
        given_names, family_names = NAME_POOLS[pool]
        given, given_latin = _split(rng.choice(given_names))
        family, family_latin = _split(rng.choice(family_names))
        if rng.random() < EMOJI_SHARE:
            given = f"{given} {rng.choice(EMOJI)}"
        # ayse.yilmaz, then ayse.yilmaz2...: usernames are the local part with "_",
        # so they stay DjaoDjin slugs (a personal profile's slug is the username).
        base = f"{given_latin}.{family_latin}"
        number = self.next_number.get(base, 1)
        while (local := base if number == 1 else f"{base}{number}").replace(".", "_") in self.taken:
            number += 1
        self.next_number[base] = number + 1
        username = local.replace(".", "_")
        self.taken.add(username)
        full_name = f"{family}{FAMILY_FIRST[pool]}{given}" if pool in FAMILY_FIRST else f"{given} {family}"
        email = f"{local}@{country}.{scale_domain(self.slug)}"
        return Employee(username, email, given, family, full_name)


def _copy_value(value) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _python_default(field: models.Field) -> Callable[[], object]:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now
    return field.get_default


def _insert_rows(
    model: type[models.Model], field_names: list[str], rows: Iterable[tuple], chunk_size: int
) -> int:
    """INSERT many rows in few statements: COPY on PostgreSQL, executemany elsewhere.

    Skips building a model instance per row (Django's bulk_create spends most of
    its time there); the database still checks every constraint, including the
    one current award per (badge, email) and the revocation's reason.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    # A field added to the model later gets its default, as bulk_create would give it.
    extra = [
        f
        for f in model._meta.concrete_fields
        if f not in fields and not (f.db_returning or getattr(f, "generated", False) or f.has_db_default())
    ]
    if extra:
        fields += extra
        defaults = [_python_default(f) for f in extra]
        rows = (row + tuple(default() for default in defaults) for row in rows)
    rows = iter(rows)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({columns}) FROM STDIN"
            raw = cursor.cursor
            while chunk := list(itertools.islice(rows, chunk_size)):
                text = "".join("\t".join(map(_copy_value, row)) + "\n" for row in chunk)
                if hasattr(raw, "copy_expert"):  # psycopg2
                    raw.copy_expert(sql, io.StringIO(text))
                else:  # psycopg 3
                    with raw.copy(sql) as copy:
                        copy.write(text)
                count += len(chunk)
        else:
            # Django's own conversions for the types a driver may not store as Django reads them.
            adapters = [
                f.get_db_prep_save if isinstance(f, (models.DateTimeField, models.UUIDField)) else None
                for f in fields
            ]
            placeholders = ", ".join(["%s"] * len(fields))
            # Table and columns come from the model's metadata, quoted; values are parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            while chunk := list(itertools.islice(rows, chunk_size)):
                cursor.executemany(
                    sql,
                    [
                        tuple(
                            value if adapt is None or value is None else adapt(value, connection)
                            for adapt, value in zip(adapters, row, strict=True)
                        )
                        for row in chunk
                    ],
                )
                count += len(chunk)
    return count


@contextmanager
def _fast_sqlite():
    """A larger page cache for this connection while seeding: the indexes on
    random UUIDs and emails otherwise spill to disk on every batch. Connection-
    local and restored after, so nothing about durability changes."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


AWARD_FIELDS = [
    "id",
    "badge",
    "organisation",
    "recipient_email",
    "recipient_name",
    "issued_on",
    "expires_on",
    "evidence_url",
    "narrative",
    "issued_by",
    "revoked_at",
    "revocation_reason",
    "revoked_by",
    "superseded_at",
]  # fmt: skip  (the salt, and any field added later, get the model's own defaults)
USER_FIELDS = [
    "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
    "is_active", "date_joined",
]  # fmt: skip


def seed_scale(
    *,
    employees: int,
    badges: int,
    awards: int,
    slug: str = "globex",
    name: str = "Globex Größe 🌐 Worldwide",
    seed: int = 2026,
    batch_size: int = 5000,
    log: Callable[[str], None] = lambda message: None,
) -> ScaleResult:
    """Build one company: ``employees`` users, ``badges`` badges, ``awards`` awards.

    Refuses (ValidationError) if the organisation already exists: call
    :func:`scale_clear` first, or pick another slug.
    """
    if min(employees, badges) < 1 or awards < 0:
        raise ValidationError("Give at least one employee and one badge, and no negative award count.")
    if awards > employees * badges:
        raise ValidationError(
            f"{awards} awards cannot all be distinct: {employees} employees × {badges} badges "
            f"is {employees * badges} (badge, person) pairs."
        )
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError(
            f"The organisation “{slug}” already exists: run again with --clear to replace it, "
            "or choose another --org."
        )
    rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets: salts use secrets)
    now = timezone.now()
    start_of_history = now - timedelta(days=3 * 365)
    result = ScaleResult(
        organisation=Organisation(slug=slug, printable_name=name, email=f"hr@{scale_domain(slug)}")
    )

    with _fast_sqlite(), transaction.atomic():
        done = _timed(result, "organisation and images")
        org = result.organisation
        org.save()
        # One image per category, shared by its badges: 12 files, not 500.
        images = {
            category.key: default_storage.save(
                f"badges/{slug}/scale-{category.key}.png",
                ContentFile(draw_badge_png(category.label, category.colour, shape=category.shape)),
            )
            for category in CATEGORIES
        }
        done()

        done = _timed(result, "employees")
        people = _Employees(rng, slug, set(User.objects.values_list("username", flat=True)))
        staff = [people.make() for _ in range(employees)]
        joined_on = [now - timedelta(days=rng.randrange(4 * 365)) for _ in staff]
        _insert_rows(
            User,
            USER_FIELDS,
            # An unusable password: the proxy authenticates.
            iter(
                ("!", False, e.username, e.first_name, e.last_name, e.email, False, True, joined)
                for e, joined in zip(staff, joined_on, strict=True)
            ),
            batch_size,
        )
        # The first fifty are the learning team: they design and award.
        managers = list(
            User.objects.filter(username__in=[e.username for e in staff[:50]]).values_list("pk", flat=True)
        )
        result.employees = employees
        done()
        log(f"  {employees} employees in {result.timings['employees']:.1f}s")

        done = _timed(result, "badges")
        badge_rows = [
            Badge(
                organisation=org,
                slug=spec.slug,
                name=spec.name,
                description=(
                    f"{spec.name}: recognises {spec.level.lower()}-level skills in "
                    f"{spec.category.key} across {name}."
                ),
                criteria_narrative=(
                    f"Complete the {spec.name} learning path in the academy and pass "
                    "its assessment with at least 80%."
                ),
                criteria_url=f"https://academy.{scale_domain(slug)}/paths/{spec.slug}/",
                image=images[spec.category.key],
                tags=[*spec.category.tags, spec.level],
                validity_days=spec.category.validity_days,
                created_by_id=rng.choice(managers),
            )
            for spec in badge_specs(badges)
        ]
        Badge.objects.bulk_create(badge_rows, batch_size=batch_size)
        created_badges = list(
            Badge.objects.filter(organisation=org).order_by("pk").only("pk", "validity_days")
        )
        # The badges existed before their first awards: move their creation back.
        Badge.objects.filter(organisation=org).update(created_at=start_of_history - timedelta(days=30))
        result.badges = len(created_badges)
        done()

        done = _timed(result, "awards")
        counts = _award_counts(rng, len(created_badges), employees, awards)
        history_seconds = int((now - start_of_history).total_seconds())

        def award_rows() -> Iterator[tuple]:
            """Rows in AWARD_FIELDS order; each (badge, person) pair at most once."""
            for badge, count in zip(created_badges, counts, strict=True):
                for person in rng.sample(range(employees), count):
                    employee = staff[person]
                    award_id = uuid.uuid4()
                    issued_on = start_of_history + timedelta(seconds=rng.randrange(history_seconds))
                    expires_on = badge.expiry_for(issued_on)  # the model's rule
                    issued_by = rng.choice(managers)
                    roll = rng.random()
                    revoked_at, reason, revoked_by = None, "", None
                    if roll < 0.02:
                        revoked_at = issued_on + (now - issued_on) * rng.random()
                        reason, revoked_by = rng.choice(REVOCATION_REASONS), issued_by
                        result.revoked += 1
                    elif award_status(revoked_at, expires_on, now) == Status.EXPIRED:
                        result.expired += 1
                    evidence_url = (
                        f"https://academy.{scale_domain(slug)}/certificates/{award_id.hex[:12]}"
                        if roll > 0.9
                        else ""
                    )
                    narrative = "Completed the learning path with distinction." if roll > 0.97 else ""
                    yield (
                        award_id, badge.pk, org.pk, employee.email, employee.full_name, issued_on, expires_on,
                        evidence_url, narrative, issued_by, revoked_at, reason, revoked_by, None,
                    )  # fmt: skip

        result.awards = _insert_rows(Award, AWARD_FIELDS, award_rows(), batch_size)
        done()
        log(f"  {result.awards} awards in {result.timings['awards']:.1f}s")

    done = _timed(result, "analyze")
    with connection.cursor() as cursor:
        # Fresh statistics, so the query planner knows the tables' new sizes.
        cursor.execute("ANALYZE")
    done()
    return result
