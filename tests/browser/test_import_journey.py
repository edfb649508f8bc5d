"""A national admin imports ODS files in admin: upload, watch the check, confirm, read the
result; and a hostile file is refused on the same page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from networks.models import PrimaryCareNetwork
from tests.browser.helpers import log_in as admin_log_in
from tests.practices.hostile import bomb_workbook
from tests.practices.test_import_ods import workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UPLOAD = "/admin/networks/primarycarenetwork/import-ods/"


def log_in(page, live_server, user):
    admin_log_in(page, live_server, user, path="/admin/login/")


def test_upload_watch_the_check_confirm_and_read_the_result(
    page, live_server, superuser, assert_accessible, tmp_path, settings
):
    settings.ODS_UPLOAD_DIR = tmp_path / "uploads"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    log_in(page, live_server, superuser)
    page.goto(live_server.url + UPLOAD)
    assert_accessible(page)
    page.get_by_label("ODS and NHS England files").set_input_files(workbook(tmp_path / "ePCN.xlsx"))
    page.get_by_role("button", name="Check what would change").click()

    # The check waits for the worker; the page says so and refreshes itself.
    expect(page.get_by_role("status")).to_contain_text("Checking the files")
    assert_accessible(page)
    call_command("db_worker", batch=True, verbosity=0)
    expect(page.locator("#import-preview")).to_contain_text("created U99001 TEST PCN")
    assert_accessible(page)

    page.get_by_role("button", name="Import these files").click()
    expect(page.get_by_role("status")).to_contain_text("Importing, all or nothing")
    call_command("db_worker", batch=True, verbosity=0)
    expect(page.locator("#content-main")).to_contain_text("Imported ePCN.xlsx: 4 records changed.")
    assert_accessible(page)
    assert PrimaryCareNetwork.objects.filter(code="U99001").exists()


def test_a_hostile_file_is_refused_with_where_and_why(
    page, live_server, superuser, assert_accessible, tmp_path, settings
):
    settings.ODS_UPLOAD_DIR = tmp_path / "uploads"
    settings.ODS_MAX_WORKBOOK_MB = 2
    log_in(page, live_server, superuser)
    page.goto(live_server.url + UPLOAD)
    page.get_by_label("ODS and NHS England files").set_input_files(
        bomb_workbook(tmp_path / "ePCN.xlsx", 3)
    )
    page.get_by_role("button", name="Check what would change").click()
    expect(page).to_have_url(re.compile(r"/import-ods/[\w-]+/$"))
    expect(page.locator(".errornote")).to_have_text(
        "Nothing imported. ePCN.xlsx: the workbook opens to 3.0 MiB, over the 2.0 MiB limit."
    )
    assert_accessible(page)
    assert not PrimaryCareNetwork.objects.exists()
