"""Fail when people could read a string that no translator can reach.

Three checks, run by ``make lint`` (and so by CI):

1. **Templates**: text and readable attributes (``alt``, ``title``,
   ``placeholder``, ``aria-label``...) outside ``{% translate %}`` and
   ``{% blocktranslate %}``. Each template is cut with Django's own lexer: tags and
   variables become placeholders, translated blocks disappear, and what is left is
   read as HTML. Words left over are reported with their line.
2. **Catalogues**: the strings the code marks today (``makemessages`` into a
   temporary copy of ``locale/``) must each be translated, not fuzzy, in every
   shipped language, and the committed ``.po`` must hold exactly those strings.
3. **Compiled catalogues**: each committed ``.mo`` must carry exactly its ``.po``'s
   translations (``make messages`` compiles them; they are committed so that a
   machine without gettext still runs the app).

Checks 2 and 3 need GNU gettext (``xgettext``, ``msgmerge``) and ``polib``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands import makemessages
from django.template.base import Lexer, TokenType
from django.utils.translation import to_locale

# Attributes people read (or hear from a screen reader).
TEXT_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "label",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "data-copied",  # what copy-link.js says once a link is copied
}
# <meta content> is read only for these names/properties (link previews, search results).
TEXT_META = {
    "description",
    "og:title",
    "og:description",
    "og:image:alt",
    "twitter:title",
    "twitter:description",
    "twitter:image:alt",
}
# Words that stay the same in every language: the product's name.
UNTRANSLATED = {"badgeapp"}
PLACEHOLDER = "\x00"
_BLOCK_TRANSLATE = re.compile(r"^(blocktranslate|blocktrans)\b")
_END_BLOCK_TRANSLATE = re.compile(r"^(endblocktranslate|endblocktrans)\b")
_WORD = re.compile(r"\w+")

# Catalogues still being written: their gaps are reported, not failed on. Pages in these
# languages fall back to English for what is missing. Empty once every language ships.
IN_PROGRESS: set[str] = set()

# What makemessages reads: the app, the project and the settings (language names).
MESSAGE_EXTENSIONS = ["html", "txt", "py"]
MESSAGE_IGNORE = [
    "tests/*",
    "bench/*",
    "node_modules/*",
    "staticfiles/*",
    "media/*",
    "mockups/*",
    "*/migrations/*",
]


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    blocking: bool = True

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def has_words(text: str) -> bool:
    """Does ``text`` hold a word someone reads (letters, beyond the untranslated ones)?"""
    for word in _WORD.findall(text.replace(PLACEHOLDER, " ")):
        if word.lower() in UNTRANSLATED:
            continue
        if any(unicodedata.category(char).startswith("L") for char in word):
            return True
    return False


def _template_skeleton(source: str) -> str:
    """The template with translated blocks removed and every tag or variable a placeholder.

    Newlines inside removed parts are kept so that line numbers stay true.
    """
    parts: list[str] = []
    in_translation = in_comment = in_verbatim = False
    for token in Lexer(source).tokenize():
        content = token.contents
        keep_lines = "\n" * content.count("\n")
        if token.token_type == TokenType.BLOCK:
            if in_comment:
                in_comment = content != "endcomment"
            elif in_verbatim:
                in_verbatim = not content.startswith("endverbatim")
            elif in_translation:
                in_translation = not _END_BLOCK_TRANSLATE.match(content)
            elif _BLOCK_TRANSLATE.match(content):
                in_translation = True
            elif content == "comment" or content.startswith("comment "):
                in_comment = True
            elif content.startswith("verbatim"):
                in_verbatim = True
            parts.append(PLACEHOLDER + keep_lines)
        elif token.token_type == TokenType.TEXT and not (in_translation or in_comment or in_verbatim):
            parts.append(content)
        elif token.token_type == TokenType.VAR and not (in_translation or in_comment):
            parts.append(PLACEHOLDER)
        else:  # comments, and whatever a translated block or a comment holds
            parts.append(keep_lines)
    return "".join(parts)


class _TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        for name, value in attrs:
            if not value:
                continue
            readable = name in TEXT_ATTRIBUTES or (
                tag == "meta"
                and name == "content"
                and (values.get("name") in TEXT_META or values.get("property") in TEXT_META)
            )
            if tag == "input" and name == "value":
                readable = values.get("type") in ("submit", "button", "reset")
            if readable and has_words(value):
                self.found.append((self.getpos()[0], f'{name}="{value.replace(PLACEHOLDER, "…")}"'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and has_words(data):
            first_word = re.search(r"[^\W\d_]", data)
            line = self.getpos()[0] + data[: first_word.start() if first_word else 0].count("\n")
            text = " ".join(data.replace(PLACEHOLDER, "…").split())
            self.found.append((line, text))


def untranslated_template_text(source: str) -> list[tuple[int, str]]:
    """(line, text) of each piece of readable text in ``source`` that is not marked for translation."""
    finder = _TextFinder()
    # A tag whose name is a variable (``<{{ tag }} ...>``) is still a tag.
    finder.feed(re.sub(f"(</?){PLACEHOLDER}", r"\1dynamic-tag", _template_skeleton(source)))
    finder.close()
    return finder.found


def template_files() -> list[Path]:
    """The project's own templates (Django's and the libraries' are translated upstream)."""
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    folders.append(Path(settings.BASE_DIR) / "core" / "templates")
    return sorted(
        path
        for folder in folders
        if folder.is_dir()
        for path in folder.rglob("*")
        if path.suffix in (".html", ".txt")
    )


def check_templates() -> list[Problem]:
    problems = []
    base = Path(settings.BASE_DIR)
    for path in template_files():
        for line, text in untranslated_template_text(path.read_text(encoding="utf-8")):
            where = f"{path.relative_to(base) if path.is_relative_to(base) else path}:{line}"
            problems.append(Problem(where, f"not marked for translation: {text[:100]}"))
    return problems


# --- Catalogues -------------------------------------------------------------------


def shipped_locales() -> list[str]:
    """Every language but the source one (English strings are the msgids)."""
    return [to_locale(code) for code, _name in settings.LANGUAGES if code != "en"]


def _keys(entries) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in entries}


class MakeMessagesInto(makemessages.Command):
    """makemessages, writing every catalogue into ``locale_dir`` and nowhere else.

    makemessages sends each file's strings to the ``locale`` folder beside it (the
    project's own), whatever ``LOCALE_PATHS`` says: the check must not touch it.
    """

    def __init__(self, locale_dir: Path):
        super().__init__()
        self.locale_dir = str(locale_dir)

    def find_files(self, root):
        return [
            makemessages.TranslatableFile(found.dirpath, found.file, self.locale_dir)
            for found in super().find_files(root)
        ]

    def build_potfiles(self):
        # The catalogues merged are those of the folders listed here.
        self.locale_paths = [self.locale_dir]
        return super().build_potfiles()


def check_catalogues(locale_dir: Path) -> list[Problem]:
    """Every marked string translated (not fuzzy) in every shipped language, and nothing stale."""
    import polib  # a development requirement: only this check reads catalogues

    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        raise CommandError("GNU gettext is needed to check the catalogues: apt-get install gettext")
    problems = []
    with tempfile.TemporaryDirectory(prefix="badgeapp-messages-") as scratch:
        scratch_locale = Path(scratch) / "locale"
        if locale_dir.is_dir():
            shutil.copytree(locale_dir, scratch_locale)
        else:
            scratch_locale.mkdir()
        call_command(
            MakeMessagesInto(scratch_locale),
            locale=shipped_locales(),
            extensions=MESSAGE_EXTENSIONS,
            ignore_patterns=MESSAGE_IGNORE,
            no_obsolete=True,
            verbosity=0,
        )
        for locale in shipped_locales():
            relative = Path(locale) / "LC_MESSAGES" / "django.po"
            committed_path, merged_path = locale_dir / relative, scratch_locale / relative
            where = str(Path("locale") / relative)
            if not committed_path.exists():
                problems.append(Problem(where, "missing: run `make messages` and translate it"))
                continue
            merged, committed = polib.pofile(str(merged_path)), polib.pofile(str(committed_path))
            live = [e for e in committed if not e.obsolete]
            added, gone = _keys(merged) - _keys(live), _keys(live) - _keys(merged)
            for _msgctxt, msgid in sorted(added, key=str):
                problems.append(Problem(where, f"not in the catalogue yet (run `make messages`): {msgid!r}"))
            for _msgctxt, msgid in sorted(gone, key=str):
                problems.append(Problem(where, f"no longer in the code (run `make messages`): {msgid!r}"))
            untranslated = [e for e in merged.untranslated_entries() if (e.msgctxt, e.msgid) not in added]
            if locale in IN_PROGRESS and untranslated:
                progress = f"in progress: {len(untranslated)} untranslated"
                problems.append(Problem(where, progress, blocking=False))
            else:
                problems += [Problem(where, f"untranslated: {entry.msgid!r}") for entry in untranslated]
            for entry in merged.fuzzy_entries():
                if (entry.msgctxt, entry.msgid) in added:
                    continue  # a guess of msgmerge's for a new string: reported as new above
                problems.append(
                    Problem(where, f"fuzzy (check the translation, then remove the flag): {entry.msgid!r}")
                )
    return problems


def _translations(entries) -> dict:
    found = {}
    for entry in entries:
        translated = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid or not translated:
            continue
        found[(entry.msgctxt, entry.msgid)] = (
            tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            if entry.msgid_plural
            else entry.msgstr
        )
    return found


def check_compiled(locale_dir: Path) -> list[Problem]:
    """Each .mo carries exactly its .po's translations (compiled after the last change)."""
    import polib

    problems = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        where = str(mo_path.relative_to(locale_dir.parent))
        if not mo_path.exists():
            problems.append(Problem(where, "missing: run `make messages` to compile the catalogue"))
        elif _translations(polib.mofile(str(mo_path))) != _translations(polib.pofile(str(po_path))):
            problems.append(Problem(where, "does not match its .po: run `make messages` to compile it again"))
    return problems


class Command(BaseCommand):
    help = "Fail on template text not marked for translation, and on incomplete or uncompiled catalogues."

    def add_arguments(self, parser):
        parser.add_argument(
            "--templates-only",
            action="store_true",
            help="Only look for unmarked template text (no gettext needed).",
        )

    def handle(self, *args, templates_only: bool = False, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0])
        problems = check_templates()
        if not templates_only:
            problems += check_catalogues(locale_dir) + check_compiled(locale_dir)
        for problem in problems:
            self.stderr.write(str(problem))
        blocking = [problem for problem in problems if problem.blocking]
        if blocking:
            raise CommandError(f"{len(blocking)} translation problem(s): see above.")
        if templates_only:
            self.stdout.write("Translations: every template string is marked.")
            return
        complete = [locale for locale in shipped_locales() if locale not in IN_PROGRESS]
        in_progress = f" (in progress: {', '.join(sorted(IN_PROGRESS))})" if IN_PROGRESS else ""
        self.stdout.write(
            "Translations: every template string is marked; catalogues complete and compiled: "
            f"{', '.join(complete)}{in_progress}."
        )
