"""Re-extract the translatable strings into locale/*/django.po and compile them to .mo.

Needs GNU gettext (xgettext, msgmerge, msgfmt) on the developer's machine; a fresh checkout does
not, because the compiled .mo files are committed (tests check they match their .po and that the
.po holds every string the code marks). Run from the project root: ``manage.py update_catalogs``.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import to_locale

SOURCE_LANGUAGE = "en"  # the msgids themselves; it has no catalog
# Never scanned: the venv and other dot-folders, local state, tests (their strings are not shown).
IGNORE = [".*", "var", "tests", "node_modules"]


def catalog_locales() -> list[str]:
    return [to_locale(code) for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


class Command(BaseCommand):
    help = "Update locale/*/LC_MESSAGES/django.po from the sources and compile the .mo files (needs GNU gettext)."

    def add_arguments(self, parser):
        parser.add_argument("--no-compile", action="store_true", help="only update the .po files")

    def handle(self, *args, no_compile=False, **options):
        locales = catalog_locales()
        call_command(
            "makemessages",
            locale=locales,
            ignore_patterns=IGNORE,
            add_location="file",
            no_obsolete=True,
            verbosity=options["verbosity"],
        )
        if not no_compile:
            call_command("compilemessages", locale=locales, ignore_patterns=IGNORE, verbosity=options["verbosity"])
