"""What the workspace tests share: the page as a reader sees it, dates as posted."""

import re

from tests.html import parse


def page_text(response):
    """The text of a page, whitespace collapsed, as a browser shows it."""
    return parse(response.content.decode()).text


def date_fields(name, value):
    return {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}


def opened(client, url):
    """The hidden fields of the form on a page, as the page sends them."""
    return hidden_fields(client.get(url))


def hidden_fields(response):
    """The hidden fields of the form on a page an answer shows."""
    html = response.content.decode()
    fields = re.findall(r'<input type="hidden" name="(\w+)"(?: value="([^"]*)")?', html)
    return {name: value for name, value in fields if name != "csrfmiddlewaretoken"}
