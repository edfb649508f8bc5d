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
"""

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction


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
    only when all are valid.
    """
    try:
        with transaction.atomic():
            valid = [f.is_valid() for f in (form, *others)]
            if not all(valid):
                return None
            return action(form.cleaned_data)
    except ValidationError as error:
        add_errors(form, error, *others)
        return None


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
