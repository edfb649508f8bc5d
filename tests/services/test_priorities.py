"""Local priorities: the network's own, with owner, status and review date."""

from services.models import LocalPriority
from tests.pages import open_form, page_text

LIST = "/networks/U99001/services/priorities/"


def priority_data(**changes):
    data = {
        "title": "Childhood asthma",
        "description": "Reviews for every child with asthma.",
        "owner": "Dr Lee Park",
        "status": "active",
        "review_on_day": "30",
        "review_on_month": "9",
        "review_on_year": "2026",
        "start_date_day": "1",
        "start_date_month": "4",
        "start_date_year": "2026",
    }
    return {**data, **changes}


def test_a_manager_adds_and_changes_a_priority(network_manager_client):
    response = network_manager_client.post(LIST + "add/", priority_data())
    assert response.status_code == 302
    text = network_manager_client.get(LIST).content.decode()
    assert "Local priority added: Childhood asthma." in text
    assert "Dr Lee Park" in text and "30 September 2026" in text and "Active" in text
    priority = LocalPriority.objects.get(title="Childhood asthma")
    url = f"{LIST}{priority.pk}/"
    response = network_manager_client.post(url, priority_data(status="completed"))
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.status == "completed"


def test_validation(network_manager_client):
    text = network_manager_client.post(
        LIST + "add/", priority_data(title="", end_date_day="1", end_date_month="1",
                                     end_date_year="2026")
    ).content.decode()  # fmt: skip
    assert "There is a problem" in text
    assert "Enter title" in text
    assert "The end date must not be before the start date." in text
    assert not LocalPriority.objects.filter(owner="Dr Lee Park").exists()


def test_filter_and_download(icb_viewer_client):
    active = icb_viewer_client.get(LIST, {"status": "active"}).content.decode()
    assert "Diabetes prevention" not in active
    planned = icb_viewer_client.get(LIST, {"status": "planned"}).content.decode()
    assert "Diabetes prevention" in planned
    response = icb_viewer_client.get(LIST, {"format": "csv"})
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0] == (
        "Priority,Description,Owner,Status,Review date,Start date,End date (last day)"
    )
    assert rows[1].startswith("Diabetes prevention,,,Planned,,2025-04-01")


def test_commissioners_read_only(subicb_viewer_client):
    text = subicb_viewer_client.get(LIST).content.decode()
    assert "Diabetes prevention" in text
    assert "Add a local priority" not in text
    assert "/priorities/990001/" not in text
    assert subicb_viewer_client.post(LIST + "add/", priority_data()).status_code == 403


def test_two_managers_changing_the_status_at_once_the_second_is_told(
    network_manager_client, co_manager_client
):
    priority = LocalPriority.objects.get(title="Diabetes prevention")
    url = f"{LIST}{priority.pk}/"
    his, hers = open_form(network_manager_client, url), open_form(co_manager_client, url)
    assert co_manager_client.post(url, {**hers, "status": "completed"}).status_code == 302
    refused = network_manager_client.post(url, {**his, "status": "stopped"})
    assert refused.status_code == 200
    assert "Bea Test saved “Completed” here; yours is “Stopped”." in page_text(refused)
    priority.refresh_from_db()
    assert priority.status == "completed"
