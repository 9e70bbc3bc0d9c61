"""Reading rendered pages: parse a response, and read a node's text as a person sees it."""

import pytest
from bs4 import BeautifulSoup


def _soup_of(response_or_html) -> BeautifulSoup:
    content = getattr(response_or_html, "content", response_or_html)
    if isinstance(content, bytes):
        content = content.decode()
    return BeautifulSoup(content, "html.parser")


def _text_of(node) -> str:
    """Whitespace collapsed, and no space left before a comma by an inline element."""
    return " ".join(node.get_text(" ").split()).replace(" ,", ",")


@pytest.fixture
def soup_of():
    """``soup_of(response or HTML)``: the page as BeautifulSoup."""
    return _soup_of


@pytest.fixture
def text_of():
    """``text_of(node)``: the node's text, whitespace collapsed."""
    return _text_of
