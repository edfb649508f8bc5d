"""The one way from a form on a page to an action.

A view binds its form to `posted(request)` and hands it to `save_form` with the action
that writes what the form holds:

    form = ClinicalDirectorForm(posted(request), instance=director, pcn=pcn)
    if request.method == "POST":
        saved = save_form(form, lambda data: actions.update_clinical_director(
            director=director, by=request.user,
            changes=changes_from(data, actions.CLINICAL_DIRECTOR_FIELDS)))
        if saved is not None:
            ...  # the success message and the redirect

The form is cleaned inside the transaction that saves, so a versioned form's row lock and
version check (pcn_portal.core.versions) hold until the save; the action names the actor
(`by=`), which the audit history records. A refusal the action raises (ValidationError)
is shown on the form like the form's own errors, and nothing is saved.

An edit action takes `changes` checked against its own field constant
(pcn_portal.core.writing.apply_changes); its form's `Meta.fields` is that constant, or
`fields_from(constant, ...)` where the page shows fewer fields than the action allows.

An add form saves once however many times it is sent (a double click, a second tab): it
carries a one-time token (pcn_portal.core.submissions.SubmitOnceMixin), taken in the same
transaction, and a copy sent again gets what the first saved, with `form.already_saved`
set; its page says so with `success_message`. An add action returns the record it saved.

Two people adding the same thing at the same moment (the claim for one month, one new
partner, one care home) both pass the checks before either commits. The actions take a
lock on what they add (pcn_portal.core.writing.one_at_a_time), so the second waits and
then sees the first's; whatever clash is left to the database (a unique or exclusion
constraint) is refused with the constraint's meaning on the form
(pcn_portal.core.writing.clash_message), never a server error.
"""

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction

from pcn_portal.core import submissions
from pcn_portal.core.writing import clash_message, is_clash


def posted(request):
    """The form data of a POST (even an empty one, so its form is bound and says what is
    missing); None for a GET."""
    return request.POST if request.method == "POST" else None


def add_errors(form, error, *others):
    """Put a ValidationError an action raised onto the form: each message beside its field
    where the form (or one of `others`, more forms on the same page) shows that field; a
    message for the whole record (NON_FIELD_ERRORS), for a field no form shows, or with no
    field at the top of the first form."""
    forms = (form, *others)
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        shown = next((f for f in forms if field in f.fields), None)
        if shown is None:
            form.add_error(None, errors)
        else:
            shown.add_error(field, errors)


def save_form(form, action, *, others=()):
    """Clean a bound form and, when it is valid, run `action(form.cleaned_data)`, both in
    one transaction. Returns what the action returned, or None when nothing was saved (the
    form then carries every error, the action's included).

    `others` are more forms on the same page that the action also reads (through the
    view's closure): each is cleaned, so every error shows at once, and the action runs
    only when all are valid. For a copy of an add form already saved, returns what the
    first saved (see the module's docstring).
    """
    try:
        with transaction.atomic():
            first = submissions.claim(form)
            if first is not None:
                return submissions.answer_repeat(form, first)
            valid = [f.is_valid() for f in (form, *others)]
            if not all(valid):
                transaction.set_rollback(True)  # the form's token is free for its next copy
                return None
            saved = action(form.cleaned_data)
            submissions.record(form, saved)
            return saved
    except ValidationError as error:
        add_errors(form, error, *others)
        return None
    except IntegrityError as error:
        if not is_clash(error):
            raise
        add_errors(form, ValidationError(clash_message(error), code="clash"), *others)
        return None


def success_message(request, form, text):
    """The banner after a save; for a copy of an add form already saved, it says so."""
    if getattr(form, "already_saved", False):
        text = f"{text.rstrip('.')}. {ALREADY_SAVED}"
    messages.success(request, text)


ALREADY_SAVED = "This was already saved: the form was sent more than once, and is saved once."


def changes_from(cleaned, fields):
    """The form's values of an action's fields (its constant), as the action's `changes`:
    the form's own fields (its version, a confirmation) are left out."""
    return {name: cleaned[name] for name in fields if name in cleaned}


def fields_from(allowed, *names):
    """The fields of a form that shows fewer than its action allows (`allowed`, the
    action's constant), each checked to be one of them."""
    refused = [name for name in names if name not in allowed]
    if refused:
        raise ImproperlyConfigured(f"The action does not allow {', '.join(refused)}.")
    return list(names)
