"""Work the task worker (`manage.py db_worker`) does for the ARRS records, away from the
request that asked for it."""

from django.contrib.auth import get_user_model
from django.tasks import task

from workforce import budget


@task
def refresh_forecasts():
    """Every kept network forecast worked out again, after a national maximum amount, cap,
    role or ring-fenced sum changed (workforce.actions.correct_record): a forecast depends
    on each."""
    return budget.refresh_forecasts()


@task
def claim_held_lines(by_id):
    """Held lines of claims not yet submitted claimed with their maximum amounts, after a
    national admin (user `by_id`) entered some (workforce.actions.correct_record, or a
    year's figures loaded from a file); the networks' managers are e-mailed. Returns how
    many claims of each network are ready to submit."""
    from workforce import actions  # actions enqueues this task

    by = get_user_model().objects.get(pk=by_id)
    ready = actions.claim_held_lines_now_known(by=by)
    return {pcn.code: len(claims) for pcn, claims in ready.items()}
