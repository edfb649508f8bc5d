"""Work the task worker (`manage.py db_worker`) does for the ARRS records, away from the
request that asked for it."""

from django.contrib.auth import get_user_model
from django.tasks import task

from workforce import arrears, budget


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


@task
def work_out_arrears(by_id):
    """The arrears of every network after a national admin (user `by_id`) changed maximum
    amounts over months already claimed (workforce.arrears), then the forecasts of the
    networks touched, and the e-mails to their managers. Returns what it came to."""
    by = get_user_model().objects.get(pk=by_id)
    outcome = arrears.work_out_pending(by=by)
    arrears.after_work_out(outcome, by=by)
    return {
        "claims": len(outcome.claims),
        "lines": outcome.lines,
        "arrears": str(outcome.total),
        "reworked": outcome.reworked,
        "reduced_lines": outcome.reduced_lines,
        "reduced_by": str(outcome.reduced_by),
    }
