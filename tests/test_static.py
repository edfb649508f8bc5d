"""collectstatic with WhiteNoise's compressed manifest storage resolves every reference."""

from pathlib import Path

from django.core.management import call_command


def test_collectstatic_with_manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    vendor = Path(tmp_path) / "vendor/nhsuk-frontend" / settings.NHSUK_FRONTEND_VERSION
    css = next(vendor.glob("nhsuk-frontend.min.*.css"))
    # The frontend's icons are referenced by hashed, relative names that exist.
    assert 'url("assets/images/nhsuk-icon-arrow-down.' in css.read_text()
    assert list((vendor / "assets/images").glob("nhsuk-icon-arrow-down.*.svg"))
    assert (Path(tmp_path) / "staticfiles.json").exists()
