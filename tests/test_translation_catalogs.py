"""The translation catalogs are complete, compiled and in step with the code.

The compiled .mo files are committed, so a fresh machine needs no GNU gettext; these tests keep
them honest: every msgid translated (none fuzzy or left over), the same placeholders on both
sides, each .mo holding exactly its .po, and (where GNU gettext is installed: always under CI)
the .po holding exactly the strings the code and templates mark.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

from applications.management.commands.update_catalogs import SOURCE_LANGUAGE, catalog_locales

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdrif]|\{(\w*)\}")


def catalog_paths(locale: str) -> tuple[Path, Path]:
    directory = LOCALE_DIR / locale / "LC_MESSAGES"
    return directory / "django.po", directory / "django.mo"


LOCALES = catalog_locales()


def _key(entry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _placeholders(text: str) -> set[str]:
    return {"".join(match) for match in PLACEHOLDER.findall(text)}


def test_every_language_but_the_source_has_a_catalog():
    assert LOCALES == [to_locale(code) for code, _ in settings.LANGUAGES if code != SOURCE_LANGUAGE]
    assert "zh_Hans" in LOCALES
    for locale in LOCALES:
        po_path, mo_path = catalog_paths(locale)
        assert po_path.is_file() and mo_path.is_file(), locale


@pytest.mark.parametrize("locale", LOCALES)
def test_every_msgid_is_translated_and_none_is_fuzzy(locale):
    po = polib.pofile(str(catalog_paths(locale)[0]))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    obsolete = [entry.msgid for entry in po.obsolete_entries()]
    assert not untranslated, f"untranslated in {locale}: {untranslated}"
    assert not fuzzy, f"fuzzy in {locale}: {fuzzy}"
    assert not obsolete, f"obsolete entries left in {locale}: {obsolete}"
    assert not po.metadata_is_fuzzy
    assert len(po) > 0


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders_of_their_msgid(locale):
    po = polib.pofile(str(catalog_paths(locale)[0]))
    for entry in po.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        expected = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural or "")
        for text in translations:
            assert _placeholders(text) == expected, (entry.msgid, text)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_compiled_catalog_holds_exactly_its_source(locale):
    po_path, mo_path = catalog_paths(locale)
    po, mo = polib.pofile(str(po_path)), polib.mofile(str(mo_path))

    def translations(entries):
        return {_key(entry): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))) for entry in entries}

    # msgfmt leaves untranslated and fuzzy entries out of the .mo; the header is not a translation.
    assert translations(entry for entry in mo if entry.msgid) == translations(po.translated_entries()), (
        f"{mo_path.relative_to(BASE_DIR)} is out of date: run `manage.py update_catalogs` (or compilemessages)"
    )


def test_a_translated_string_is_served_in_simplified_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Log in") == "登录"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"


def _copy_sources(target: Path) -> None:
    for name in ("manage.py",):
        shutil.copy2(BASE_DIR / name, target / name)
    for name in ("applications", "config", "templates", "locale"):
        shutil.copytree(BASE_DIR / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))


def test_the_catalogs_hold_exactly_the_strings_the_code_marks(tmp_path, require):
    """Re-extract into a copy of the sources: a string marked but missing from the .po (shown
    untranslated) or left in it after the code dropped it fails here."""
    require(shutil.which("xgettext") and shutil.which("msgmerge"), "GNU gettext (xgettext, msgmerge) is not installed")
    copy = tmp_path / "src"
    copy.mkdir()
    _copy_sources(copy)
    env = {**os.environ, "VIBER_REVIEW_VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": "sqlite:///:memory:"}
    subprocess.run(
        [sys.executable, "manage.py", "update_catalogs", "--no-compile"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    for locale in LOCALES:
        committed = {_key(entry) for entry in polib.pofile(str(catalog_paths(locale)[0]))}
        extracted = {_key(entry) for entry in polib.pofile(str(copy / "locale" / locale / "LC_MESSAGES" / "django.po"))}
        assert extracted - committed == set(), f"marked but not in the {locale} catalog: run manage.py update_catalogs"
        assert committed - extracted == set(), (
            f"in the {locale} catalog but no longer marked: run manage.py update_catalogs"
        )
