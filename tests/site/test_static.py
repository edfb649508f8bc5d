"""collectstatic with WhiteNoise's compressed manifest storage resolves every reference, and
the pages that use a vendored library render with it: a template naming a version that is
not the one vendored (a path written out, or left behind by a refresh) fails here as it
would take the page down in production."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import override_settings

from pcn_portal.context_processors import vendored

MANIFEST = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """The static files as production serves them: collected once, with hashed names."""
    root = tmp_path_factory.mktemp("static")
    storages = {**django_settings.STORAGES, "staticfiles": MANIFEST}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(settings, collected):
    """Templates find their static files through the manifest, as in production."""
    settings.STATIC_ROOT = collected
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}
    return collected


def test_collectstatic_with_manifest_storage(collected):
    vendor = Path(collected) / vendored("nhsuk-frontend")
    css = next(vendor.glob("nhsuk-frontend.min.*.css"))
    # The frontend's icons are referenced by hashed, relative names that exist.
    assert 'url("assets/images/nhsuk-icon-arrow-down.' in css.read_text()
    assert list((vendor / "assets/images").glob("nhsuk-icon-arrow-down.*.svg"))
    assert (Path(collected) / "staticfiles.json").exists()


def scripts(page):
    return re.findall(r'<script[^>]* src="/static/([^"]+)"', page)


@pytest.mark.parametrize(
    "persona, url, library, script",
    [
        ("subicb_viewer", "/areas/Z01/", "chartjs", "chart.umd.min"),
        ("network_viewer", "/networks/U99001/workforce/budget/2025/", "chartjs", "chart.umd.min"),
        ("network_viewer", "/networks/U99001/practices/Z99001/", "chartjs", "chart.umd.min"),
        (
            "network_viewer",
            "/networks/U99001/services/2023/enhanced-health-in-care-homes/",
            "htmx",
            "htmx.min",
        ),
    ],
)
def test_pages_load_the_vendored_library_through_the_manifest(
    persona, url, library, script, request, production_static, reference_data
):
    client = request.getfixturevalue(f"{persona}_client")
    response = client.get(url)

    assert response.status_code == 200
    vendor = Path(django_settings.BASE_DIR) / "static/vendor" / library
    version = re.escape((vendor / "VERSION").read_text().strip())
    wanted = re.compile(rf"vendor/{library}/{version}/{script}\.[0-9a-f]{{12}}\.js")
    found = [path for path in scripts(response.content.decode()) if wanted.fullmatch(path)]
    assert found, f"no script of {library} {version} on {url}"
    # ... by the hashed name collectstatic wrote.
    assert (production_static / found[0]).exists()
