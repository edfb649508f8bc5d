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


def form_data(html):
    """What the page's form posts as it stands, as a browser sends it: its inputs with
    their values (a checkbox or radio only when checked), the options selected and the
    text areas. The form is the page's POST form with the most fields (not the header's
    logout form)."""
    forms = [f for f in parse(html).find_all("form") if f.attrs.get("method", "").lower() == "post"]
    form = max(forms, key=lambda f: len(f.find_all("input") + f.find_all("select")))
    data = {}
    for field in form.find_all("input"):
        name, kind = field.attrs.get("name"), field.attrs.get("type", "text")
        if not name or name == "csrfmiddlewaretoken" or kind in ("submit", "button"):
            continue
        if kind in ("checkbox", "radio") and "checked" not in field.attrs:
            continue
        data[name] = field.attrs.get("value", "on" if kind == "checkbox" else "")
    for select in form.find_all("select"):
        chosen = [o for o in select.find_all("option") if "selected" in o.attrs]
        data[select.attrs["name"]] = chosen[0].attrs.get("value", "") if chosen else ""
    for area in form.find_all("textarea"):
        data[area.attrs["name"]] = "".join(c for c in area.children if isinstance(c, str)).strip()
    return data


def open_form(client, url):
    """The form on a page as it was opened: form_data of the page the client gets."""
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode())
