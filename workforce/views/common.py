"""What the ARRS pages share: saving a form through an action, and a network's
breadcrumbs."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse


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


def network_crumbs(pcn, *more):
    return [
        {"text": "Home", "href": reverse("home")},
        {"text": pcn.display_name, "href": reverse("workspace:network_detail", args=[pcn.code])},
        *more,
    ]


def register_crumb(pcn):
    return {"text": "Staff register", "href": reverse("workforce:post_list", args=[pcn.code])}


def claims_crumb(pcn):
    return {"text": "ARRS claims", "href": reverse("workforce:claim_list", args=[pcn.code])}


def posted(request):
    """The form data of a POST (even an empty one, so its form is bound and says what is
    missing), None for a GET."""
    return request.POST if request.method == "POST" else None
