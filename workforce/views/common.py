"""What the ARRS pages share: saving a form through an action."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction


def save_through(form, action):
    """Clean the form and run the action in one transaction (so a versioned form's row
    lock holds until the save); the action's refusals become the form's errors. Returns
    the action's result, or None when nothing was saved."""
    try:
        with transaction.atomic():
            if not form.is_valid():
                return None
            return action(form.cleaned_data)
    except ValidationError as error:
        add_errors(form, error)
        return None


def add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, error)


def posted(request):
    """The form data of a POST (even an empty one, so its form is bound and says what is
    missing), None for a GET."""
    return request.POST if request.method == "POST" else None
