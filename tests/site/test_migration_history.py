"""A database built by the migrations from before the squash is refused by migrate and
named by check_migration_history, rather than taken as up to date."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from pcn_portal.checks import check_migration_history, gone_from


def test_only_the_projects_own_migrations_it_no_longer_has():
    applied = [
        ("networks", "0001_initial"),
        ("networks", "0010_event_label_time_index"),
        ("workforce", "0012_arrs_hours"),
        ("auth", "0001_initial"),
        ("pghistory", "0099_from_elsewhere"),  # not the project's to judge
    ]
    assert gone_from(applied) == [
        "networks.0010_event_label_time_index",
        "workforce.0012_arrs_hours",
    ]


@pytest.mark.django_db
def test_a_database_built_by_the_migrations_from_before_the_squash():
    assert check_migration_history(None, databases=["default"]) == []
    call_command("check_migration_history")  # nothing to say
    MigrationRecorder(connection).record_applied("networks", "0010_event_label_time_index")

    [error] = check_migration_history(None, databases=["default"])
    assert error.id == "pcn_portal.E001"
    assert "networks.0010_event_label_time_index" in error.msg
    with pytest.raises(CommandError) as refused:
        call_command("check_migration_history")
    assert refused.value.returncode == 3
    assert "built by migrations the project no longer has" in str(refused.value)
