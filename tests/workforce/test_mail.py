"""The e-mails about ARRS claims: each link is the site's address (settings.PORTAL_URL) and
the claim's page, whatever host the portal runs on."""

import datetime

import pytest

from workforce import actions

D = datetime.date
SITE = "https://pcn-portal.example.nhs.uk"
CLAIM_PAGE = f"{SITE}/networks/U99001/workforce/claims/2025-06/"


@pytest.fixture
def submitted(make_post, pcn, network_manager, approver, settings, mailoutbox,
              django_capture_on_commit_callbacks):  # fmt: skip
    settings.PORTAL_URL = SITE
    make_post("clinical-pharmacist", D(2025, 4, 1), full_name="Priya Pharmacist")
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_claim(claim=claim, by=network_manager, declaration=True)
    return claim


def test_the_approvers_e_mail_links_to_the_claim_on_the_site(submitted, approver, mailoutbox):
    (mail,) = mailoutbox
    assert mail.to == [approver.email]
    assert f"See the claim and decide: {CLAIM_PAGE}\n" in mail.body
    assert "localhost" not in mail.body


def test_the_decision_e_mail_links_to_the_claim_on_the_site(
    submitted, allocation, approver, network_manager, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide_claim(claim=submitted, by=approver, approve=True)
    (mail,) = mailoutbox
    assert mail.to == [network_manager.email]
    assert f"See the claim: {CLAIM_PAGE}\n" in mail.body
    assert "localhost" not in mail.body
