"""Every template's user-facing text goes through a translation tag.

A simple checker: the template is tokenised with Django's own lexer; variables, tags, comments and
whole ``{% blocktranslate %}`` blocks become a neutral placeholder; the rest is parsed as HTML.
Text between tags and the user-facing attributes below must then hold no letter (whitespace,
punctuation, digits and symbols are fine). Content of ``code``/``pre``/``kbd``/``samp``/``script``/
``style`` and of elements marked ``translate="no"`` (the HTML attribute for names and codes that
stay as they are) is not text to translate.
"""

import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATE_DIRS = [Path(directory) for directory in settings.TEMPLATES[0]["DIRS"]]

PLACEHOLDER = "\u2022"  # a symbol: stands for a variable or tag without counting as text
USER_FACING_ATTRIBUTES = {"title", "placeholder", "aria-label", "aria-description", "alt", "label", "summary"}
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}  # their value is the button's text
NOT_TEXT_ELEMENTS = {"code", "pre", "kbd", "samp", "script", "style"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Tags whose whole block is either translated text or not text at all.
SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}


def has_words(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def without_template_syntax(source: str) -> str:
    """The template with every variable, tag and translated block replaced by ``PLACEHOLDER``."""
    parts, closing = [], None
    for token in Lexer(source).tokenize():
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[:1] == [closing]:
                closing = None
                parts.append(PLACEHOLDER)
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        elif token.token_type in (TokenType.VAR, TokenType.BLOCK):
            name = (token.contents.split() or [""])[0]
            closing = SKIPPED_BLOCKS.get(name)
            parts.append(PLACEHOLDER)
    return "".join(parts)


def _readable(text: str) -> str:
    return " ".join(text.replace(PLACEHOLDER, " {…} ").split())


class _TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping: list[str] = []  # open elements whose content is not text to translate

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        no_translate = attributes.get("translate") == "no"
        if (tag in NOT_TEXT_ELEMENTS or no_translate or self.skipping) and tag not in VOID_ELEMENTS:
            self.skipping.append(tag)
        if no_translate or (self.skipping and tag not in VOID_ELEMENTS):
            return
        for name, value in attrs:
            user_facing = name in USER_FACING_ATTRIBUTES or (
                name == "value" and tag == "input" and attributes.get("type") in BUTTON_INPUT_TYPES
            )
            if user_facing and value and has_words(value):
                self.found.append(f"<{tag} {name}={_readable(value)!r}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.skipping and self.skipping[-1] == tag and tag not in VOID_ELEMENTS:
            self.skipping.pop()

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and has_words(data):
            self.found.append(_readable(data))


def untranslated_text(source: str) -> list[str]:
    """The user-facing text of a template that is outside any translation tag."""
    finder = _TextFinder()
    finder.feed(without_template_syntax(source))
    finder.close()
    return finder.found


def all_templates() -> dict[str, Path]:
    return {
        path.relative_to(directory).as_posix(): path
        for directory in TEMPLATE_DIRS
        for path in sorted(directory.rglob("*.html"))
    }


TEMPLATES = all_templates()


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_template_has_no_text_outside_translation_tags(name):
    assert untranslated_text(TEMPLATES[name].read_text()) == []


@pytest.mark.parametrize(
    "source, found",
    [
        ("<p>Refresh now</p>", ["Refresh now"]),
        ('<button title="Queue it">{% translate "Go" %}</button>', ["<button title='Queue it'>"]),
        ('<input placeholder="Request number">', ["<input placeholder='Request number'>"]),
        ('<input type="submit" value="Save">', ["<input value='Save'>"]),
        ('<img alt="Logo of {{ name }}" src="{{ url }}">', ["<img alt='Logo of {…}'>"]),
        ('<nav aria-label="Main">{{ links }}</nav>', ["<nav aria-label='Main'>"]),
        ("{% block title %}Log in{% endblock %}", ["{…} Log in {…}"]),
        ("<p>{{ count }} applications</p>", ["{…} applications"]),
        ("<p>État</p>", ["État"]),
        ("<p>审核中</p>", ["审核中"]),
    ],
)
def test_the_checker_finds_untranslated_text(source, found):
    assert untranslated_text(source) == found


@pytest.mark.parametrize(
    "source",
    [
        '{% load i18n %}<p>{% translate "Refresh now" %}</p>',
        '<button title="{% translate "Queue it" %}">{% translate "Go" %}</button>',
        "<p>{% blocktranslate with zone=tz %}Times in {{ zone }}{% endblocktranslate %}</p>",
        "<p>{% blocktranslate count n=items|length %}One item{% plural %}{{ n }} items{% endblocktranslate %}</p>",
        "<td>{{ value|default:'—' }} · 12:30 → 100% (3)</td>",
        '<p><code>GetViberByRequestNo</code> <span translate="no">Viber Review</span></p>',
        '<script src="{% static "app.js" %}"></script><style>.a { color: red }</style>',
        "{# a comment #}{% comment %}Notes for developers{% endcomment %}",
        '<input type="text" name="request_no" value="{{ form.request_no.value }}">',
        '<input type="hidden" name="next" value="/queue/">',
        '<a href="/x" class="button button-quiet" data-kind="refresh">{{ label }}</a>',
    ],
)
def test_the_checker_accepts_translated_or_wordless_text(source):
    assert untranslated_text(source) == []
