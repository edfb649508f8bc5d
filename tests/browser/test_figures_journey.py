"""A national admin loads a year's maximum amounts from one file in admin: a good file is
previewed and applied, a second confirmation (another tab) is refused, and a file with
three bad rows is refused naming the three. The figures are made up for the test."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories.figures import figures_world, row, write_table
from workforce.models import MaximumAmount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOAD = "/admin/workforce/maximumamount/load/"


@pytest.fixture(autouse=True)
def worker_settings(settings, tmp_path):
    settings.ODS_UPLOAD_DIR = tmp_path / "uploads"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def made_up(db):
    return figures_world()


def upload(page, live_server, path):
    page.goto(live_server.url + LOAD)
    page.get_by_label("Table of maximum amounts").set_input_files(path)
    page.get_by_role("button", name="Check what would change").click()
    expect(page.get_by_role("status")).to_contain_text("Checking the file")
    call_command("db_worker", batch=True, verbosity=0)


def test_a_good_file_previews_and_applies_and_a_second_confirm_is_refused(
    page,
    live_server,
    superuser,
    assert_accessible,
    made_up,
    tmp_path,
):
    log_in(page, live_server, superuser, path="/admin/login/")
    page.goto(live_server.url + "/admin/workforce/maximumamount/")
    page.get_by_role("link", name="Load maximum amounts").click()
    assert_accessible(page)
    path = write_table(
        tmp_path / "amounts-2091.csv",
        row("Test pharmacist", "2091-04-01", "2092-03-31", "51000", "56000", "59000"),
        row("Test coach", "2091-04-01", "2092-03-31", "40000"),
    )
    upload(page, live_server, path)
    preview = page.locator("#load-preview")
    expect(preview).to_contain_text("Changed amounts, closes the period")
    expect(preview).to_contain_text("New period")
    expect(preview).to_contain_text("national £51,000.00, outer London £56,000.00")
    assert_accessible(page)

    # The same preview open in a second tab, confirmed after the first.
    second = page.context.new_page()
    second.goto(page.url)
    page.get_by_role("button", name="Apply these amounts").click()
    expect(page.get_by_role("status")).to_contain_text("Applying, all or nothing")
    call_command("db_worker", batch=True, verbosity=0)
    expect(page.locator("#content-main")).to_contain_text(
        "Loaded amounts-2091.csv: 2 maximum amounts changed."
    )
    assert_accessible(page)
    assert MaximumAmount.objects.get(role=made_up["coach"]).national == 40000

    second.get_by_role("button", name="Apply these amounts").click()
    expect(second.locator(".messagelist")).to_contain_text(
        "The file amounts-2091.csv was already applied, by Nadia National at"
    )
    assert MaximumAmount.objects.filter(role=made_up["coach"]).count() == 1


def test_a_file_with_three_bad_rows_is_refused_naming_the_three(
    page,
    live_server,
    superuser,
    assert_accessible,
    made_up,
    tmp_path,
):
    log_in(page, live_server, superuser, path="/admin/login/")
    path = write_table(
        tmp_path / "amounts-2091.csv",
        row("Test coach", "2091-04-01", "2092-03-31", "40000"),
        row("Test pharmacyst", "2091-04-01", "2092-03-31", "51000"),
        row("Test coach", "2092-04-01", "2093-03-31", "£4O,000"),
        row("Test pharmacist", "2091-04-01", "2092-03-31", "51000", band="9"),
    )
    upload(page, live_server, path)
    expect(page.locator(".errornote")).to_have_text(
        "Nothing applied. amounts-2091.csv has 3 rows to correct; correct them and upload "
        "the file again."
    )
    expect(page.locator("#load-problems li")).to_have_text(
        [
            'Row 3: unknown role "Test pharmacyst" (the template lists the roles).',
            'Row 4: the national amount "£4O,000" is not money.',
            "Row 5: Test pharmacist has no band 9 (its bands: 7 or 8a).",
        ]
    )
    assert_accessible(page)
    assert not MaximumAmount.objects.filter(role=made_up["coach"]).exists()
