"""The reference data the migrations load, for a database a test emptied."""

import importlib

REFERENCE_DATA_MIGRATIONS = [
    "networks.migrations.0004_source",
    "workforce.migrations.0002_national_reference_data",
    "services.migrations.0002_national_reference_data",
    "workforce.migrations.0005_notes_cite_documents",
    "services.migrations.0004_notes_cite_documents",
    "workforce.migrations.0007_one_person_and_eligibility",
]


def load_current(apps):
    """What a database migrated from nothing holds: each reference-data migration's load,
    with its own frozen copy of the figures."""
    for name in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(name).load(apps, schema_editor=None)
