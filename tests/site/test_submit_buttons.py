"""Every button that sends a form to be saved carries NHS.UK frontend's prevent-double-click
(data-prevent-double-click="true"), which ignores a second click within a second of the
first. The server saves an add form once however often it is sent
(pcn_portal.core.submissions); this spares it the second request."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Django admin's own pages keep admin's look, without the NHS.UK frontend.
TEMPLATES = [p for p in (ROOT / "templates").rglob("*.html") if "admin" not in p.parts]
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
POSTS = re.compile(r'method="post"', re.I)
BUTTON = re.compile(r"<button\b[^>]*>", re.S)


def submit_buttons_of_posting_forms(text):
    for form in FORM.findall(text):
        opening = form[: form.index(">") + 1]
        if not POSTS.search(opening):
            continue
        for button in BUTTON.findall(form):
            if 'type="submit"' in button or "input.input_type" in button:
                yield button


def test_every_submit_button_of_a_form_that_saves_prevents_a_double_click():
    found, missing = 0, []
    for path in TEMPLATES:
        for button in submit_buttons_of_posting_forms(path.read_text()):
            found += 1
            if 'data-prevent-double-click="true"' not in button:
                missing.append(f"{path.relative_to(ROOT)}: {button}")
    assert found > 15  # the scan finds the site's forms
    assert missing == []
