"""Work the task worker (`manage.py db_worker`) does for the ARRS records, away from the
request that asked for it."""

from django.tasks import task

from workforce import budget


@task
def refresh_forecasts():
    """Every kept network forecast worked out again, after a national maximum amount, cap,
    role or ring-fenced sum changed (workforce.actions.correct_record): a forecast depends
    on each."""
    return budget.refresh_forecasts()
