"""Add forms that save once, however many times they are sent.

A double click, a second tab or a resend after a slow answer sends the same add form more
than once. An add form carries a one-time token (SubmitOnceMixin: a hidden field, made when
the page is drawn), and pcn_portal.core.forms.save_form takes it (a Submission row, its
token unique) in the transaction that saves what the form adds, before anything else:

- A copy sent while the first is still saving waits on the first's row until it commits,
  then finds it. Nothing more is saved: the copy is answered as the first was, with the
  record the first made (the form marked `already_saved`, so the page can say so).
- When the first saved nothing (its form or its action refused it), its row went with its
  transaction, and the next copy is saved as new.
- The same token with other values (the form saved, then changed after Back and sent
  again) saves nothing and says so, with a new token, so that saving again adds it.

A form posted without a token (a script, a test) is saved as before, with no such check.
"""

import datetime
import hashlib
import json
import re
import secrets

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.models import Submission

TOKEN_FIELD = "submission"
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
# A form is posted within a session, and a session lasts at most SESSION_MAX_HOURS (12 by
# default): a token is forgotten well after its page could still be sent.
KEPT_FOR = datetime.timedelta(days=1)
# Fields every post has that say nothing of what the form holds.
NOT_HELD = {"csrfmiddlewaretoken"}

CHANGED = (
    "This form was already saved once, with other details. Nothing new has been saved: "
    "check the details below, then save again to add them as well."
)
GONE = (
    "This form was already saved once, and what it saved has been removed since. Nothing "
    "new has been saved: save again to add it once more."
)


def new_token():
    return secrets.token_urlsafe(32)


class SubmitOnceMixin(NHSMessagesMixin):
    """For an add form (a ModelForm of a new record, or a plain form): a hidden one-time
    token, so the form saves once however many times it is sent. A ModelForm of a saved
    record carries none: its version guards it (pcn_portal.core.versions)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            return
        self.fields[TOKEN_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial[TOKEN_FIELD] = new_token()


def token_of(form):
    """The token a bound form was sent with, or None: a form that carries none, or a post
    without one (or with something that is not one)."""
    if not form.is_bound or TOKEN_FIELD not in form.fields:
        return None
    value = form.data.get(form.add_prefix(TOKEN_FIELD)) or ""
    return value if TOKEN.fullmatch(value) else None


def values_of(data, name):
    return data.getlist(name) if hasattr(data, "getlist") else [data[name]]


def digest_of(form):
    """What the form was sent with (its fields' values, and each file's name and size),
    as a SHA-256: two copies of one form have the same."""
    skip = NOT_HELD | {form.add_prefix(TOKEN_FIELD)}
    held = {name: values_of(form.data, name) for name in form.data if name not in skip}
    files = {name: [(f.name, f.size) for f in values_of(form.files, name)] for name in form.files}
    text = json.dumps([held, files], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def claim(form):
    """Take the form's token for the save under way (in its transaction). Returns None when
    the save goes ahead (the token is ours now, or the form carries none), or the
    Submission of the copy saved first. A copy still saving holds its row: this waits until
    it commits (then finds it) or rolls back (then takes the token)."""
    token = token_of(form)
    if token is None:
        return None
    try:
        with transaction.atomic():
            Submission.objects.create(token=token, digest=digest_of(form))
    except IntegrityError:
        return Submission.objects.select_related("made_type").get(token=token)
    transaction.on_commit(forget_old)
    return None


def record(form, made):
    """Keep what the form's save made beside its token, for the copies that follow; when
    it made nothing (None), its token is free again, as if it had not been sent."""
    token = token_of(form)
    if token is None:
        return
    if made is None:
        Submission.objects.filter(token=token).delete()
        return
    if not isinstance(made, models.Model) or made.pk is None:
        raise ImproperlyConfigured(
            "An add form's action returns the record it saved, for a copy of the form sent "
            f"again to be answered with; this one returned {made!r}."
        )
    Submission.objects.filter(token=token).update(
        made_type=ContentType.objects.get_for_model(made), made_id=made.pk
    )


def answer_repeat(form, first):
    """A copy of a form saved before: the record the first saved (the form marked
    `already_saved`), or None with the form saying why nothing was saved and carrying a new
    token, to save it as new."""
    if first.digest != digest_of(form):
        return refuse(form, CHANGED)
    made = first.made()
    if made is None:
        return refuse(form, GONE)
    form.already_saved = True
    return made


def refuse(form, message):
    form.full_clean()
    form.add_error(None, message)
    form.data = form.data.copy()
    form.data[form.add_prefix(TOKEN_FIELD)] = new_token()
    return None


def forget_old():
    """Tokens older than KEPT_FOR: no copy of their forms can be sent any more."""
    Submission.objects.filter(saved_at__lt=timezone.now() - KEPT_FOR).delete()
