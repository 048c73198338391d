"""``manage.py check_translations`` (make lint): unmarked template text, incomplete or
uncompiled catalogues. Each check is shown failing on a bad input, and passing on the project."""

import os
import shutil
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from core.management.commands import check_translations as check
from core.management.commands.check_translations import untranslated_template_text

# CI installs GNU gettext: there these tests run, elsewhere they need it too.
needs_gettext = pytest.mark.skipif(
    not shutil.which("msgmerge") and os.environ.get("CI") != "true", reason="GNU gettext is not installed"
)


def test_text_outside_translate_tags_is_reported_with_its_line():
    source = '{% load i18n %}<h1>{% translate "Hello" %}</h1>\n<p>\n  Not marked</p>'
    assert untranslated_template_text(source) == [(3, "Not marked")]


def test_readable_attributes_are_checked_and_others_are_not():
    source = (
        '<img alt="A badge" src="x.png" class="badge-image">'
        '<input type="submit" value="Send"><input type="hidden" name="action" value="restore">'
        '<a aria-label="{% translate \'Close\' %}" data-testid="close-button" href="#">×</a>'
        '<meta name="description" content="Badges for all"><meta name="twitter:card" content="summary">'
    )
    assert [text for _line, text in untranslated_template_text(source)] == [
        'alt="A badge"',
        'value="Send"',
        'content="Badges for all"',
    ]


def test_translated_blocks_comments_scripts_and_non_words_pass():
    source = (
        "{% load i18n %}{# a comment #}{% comment %}Draft text{% endcomment %}"
        "{% blocktranslate with name=user.name trimmed %}\n  Hello {{ name }}\n{% endblocktranslate %}"
        "<script>const label = 'not for people';</script><style>.x::after { content: 'x'; }</style>"
        "<span>{{ badge.name }} · 42 — 🎉 badgeapp</span>"
        '<{{ tag }} class="form-label">{{ label }}</{{ tag }}>'
    )
    assert untranslated_template_text(source) == []


def test_every_template_of_the_project_is_marked():
    assert check.check_templates() == []


def test_the_check_fails_on_an_unmarked_template(tmp_path, settings):
    (tmp_path / "page.html").write_text("<p>Plain English</p>", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    problems = check.check_templates()
    expected = f"{tmp_path / 'page.html'}:1: not marked for translation: Plain English"
    assert [str(p) for p in problems] == [expected]
    with pytest.raises(CommandError, match="1 translation problem"):
        call_command("check_translations", "--templates-only", stderr=StringIO())


def _copy_locale(tmp_path: Path) -> Path:
    locale = tmp_path / "locale"
    shutil.copytree(settings.LOCALE_PATHS[0], locale)
    return locale


def test_compiled_catalogues_match_their_sources():
    assert check.check_compiled(Path(settings.LOCALE_PATHS[0])) == []


def test_a_catalogue_changed_after_it_was_compiled_is_reported(tmp_path):
    locale = _copy_locale(tmp_path)
    po_path = locale / "fr" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    catalogue.find("Verify").msgstr = "Contrôler"
    catalogue.save()
    problems = check.check_compiled(locale)
    assert [p.message for p in problems] == [
        "does not match its .po: run `make messages` to compile it again"
    ]
    (locale / "fr" / "LC_MESSAGES" / "django.mo").unlink()
    assert "missing" in check.check_compiled(locale)[0].message


@needs_gettext
def test_the_shipped_catalogues_are_complete():
    problems = check.check_catalogues(Path(settings.LOCALE_PATHS[0]))
    assert [str(p) for p in problems if p.blocking] == []


@needs_gettext
def test_untranslated_fuzzy_and_stale_entries_are_reported(tmp_path):
    locale = _copy_locale(tmp_path)
    po_path = locale / "fr" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    catalogue.find("Verify").msgstr = ""
    catalogue.find("Cancel").flags.append("fuzzy")
    catalogue.remove(catalogue.find("Search"))
    catalogue.append(polib.POEntry(msgid="A string the code no longer has", msgstr="Une chaîne"))
    catalogue.save()
    messages = sorted(p.message for p in check.check_catalogues(locale) if "locale/fr/" in p.where)
    assert messages == [
        "fuzzy (check the translation, then remove the flag): 'Cancel'",
        "no longer in the code (run `make messages`): 'A string the code no longer has'",
        "not in the catalogue yet (run `make messages`): 'Search'",
        "untranslated: 'Verify'",
    ]


@needs_gettext
def test_a_missing_catalogue_is_reported(tmp_path):
    locale = _copy_locale(tmp_path)
    shutil.rmtree(locale / "fr")
    problems = check.check_catalogues(locale)
    assert any(p.where.startswith("locale/fr/") and "missing" in p.message for p in problems)


@needs_gettext
def test_the_command_passes_on_the_project():
    out = StringIO()
    call_command("check_translations", stdout=out, stderr=StringIO())
    assert "catalogues complete and compiled: fr" in out.getvalue()


@needs_gettext
def test_make_messages_brings_in_new_strings_and_compiles(tmp_path):
    locale = _copy_locale(tmp_path)
    po_path = locale / "fr" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    catalogue.remove(catalogue.find("Search"))
    catalogue.find("Verify").msgstr = "Contrôler"
    catalogue.save()
    call_command("update_translations", locale_dir=str(locale), verbosity=0)
    updated = polib.pofile(str(po_path))
    assert updated.find("Search").msgstr == "" or "fuzzy" in updated.find("Search").flags  # to translate
    assert polib.mofile(str(po_path.with_suffix(".mo"))).find("Verify").msgstr == "Contrôler"
    assert check.check_compiled(locale) == []
    assert untouched(Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po")


def untouched(path: Path) -> bool:
    """The project's own catalogue is left alone by the commands under test."""
    return "Contrôler" not in path.read_text(encoding="utf-8")


@needs_gettext
def test_a_translation_that_breaks_a_placeholder_is_refused(tmp_path):
    locale = _copy_locale(tmp_path)
    po_path = locale / "fr" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    catalogue.find("Hello, %(name)s").msgstr = "Bonjour, %(nom)s"
    catalogue.save()
    with pytest.raises(CommandError, match=r"django\.po"):
        call_command("update_translations", locale_dir=str(locale), verbosity=0)
