"""Every field's error messages in the NHS.UK style: what is wrong and how to put it right,
in the field's own words and with its limits ("Weekly hours must be 99.99 or less", "Enter
name", "Notes must be 5,000 characters or fewer"), never Django's defaults ("This field
is required.", "Ensure that there are no more than 2 digits before the decimal point.").

A form gets them by including `NHSMessagesMixin` (the versioned and submit-once mixins
include it; every other form of the portal names it). A message a form or field
sets itself is kept: only Django's own defaults are replaced. Free text has a limit,
said in its hint, and a text past it is refused with a message: the browser is not told
the limit (`maxlength`), since it would cut what was typed without a word.

`DEFAULT_MESSAGES` are Django's defaults as patterns, for the test that walks every form.
"""

import collections
import contextlib
import copy
import re
from decimal import Decimal

from django import forms
from django.core import validators
from django.db import models
from django.db.models.utils import get_blank_choice_label
from django.utils.functional import Promise

# Free text with no limit of its own (a model TextField): about two pages.
TEXT_LIMIT = 5_000
# The limit is said in the hint of text a person writes, not of codes and short values.
SAY_LIMIT_FROM = 100

# Field labels name things, often with a code in capitals ("ODS code", "PCN"): those keep
# their capitals in the middle of a sentence.
_ACRONYM = re.compile(r"^[A-Z0-9]{2,}\b")


def _label(field, name):
    label = str(field.label) if field.label else name.replace("_", " ").capitalize()
    # "Annual salary (£)", "Notes (optional)": the words in brackets are the form's own.
    return re.sub(r"\s*\([^()]*\)\s*$", "", label).strip()


def _phrase(label):
    """The label inside a sentence: "Enter the weekly hours"."""
    words = label if _ACRONYM.match(label) else label[:1].lower() + label[1:]
    return words


def _number(value):
    if isinstance(value, Decimal | float):
        text = f"{value:,f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{value:,}" if isinstance(value, int) else str(value)


def _is_default(message, default):
    """Whether a field still has Django's message (its own text, or the lazy string)."""
    return str(message) == str(default)


def _required(field, label):
    if isinstance(field, forms.BooleanField):
        return f"Tick “{label}” to go on"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return f"Select {_phrase(label)}"
    if isinstance(field, forms.FileField):  # as GOV.UK's file upload pattern says it
        return "Select a file" if label.lower() == "file" else f"Select {_phrase(label)}"
    return f"Enter {_phrase(label)}"


def _field_messages(field, label):
    """The field's own messages (not its validators'), in our words where Django's stand."""
    mine = {"required": _required(field, label)}
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        mine["invalid_choice"] = f"Select {_phrase(label)} from the list"
        mine["invalid_pk_value"] = f"Select {_phrase(label)} from the list"
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        mine["invalid_choice"] = f"Select {_phrase(label)} from the list"
    if isinstance(field, forms.IntegerField):
        mine["invalid"] = f"{label} must be a whole number, like 12"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        mine["invalid"] = f"{label} must be a number, like 37.5"
    elif isinstance(field, forms.EmailField):
        mine["invalid"] = f"Enter {_phrase(label)} in the right form, like name@nhs.net"
    elif isinstance(field, forms.URLField):
        mine["invalid"] = f"Enter {_phrase(label)} as a web address, like https://www.nhs.uk"
    if isinstance(field, forms.FileField):
        mine["empty"] = "The selected file is empty"
        mine["invalid"] = "The selected file did not arrive whole: select it again"
        mine["missing"] = "The selected file did not arrive: select it again"
    defaults = {}  # Django's own: a message a class of ours gives is kept
    for cls in reversed(type(field).__mro__):
        if cls.__module__.startswith("django."):
            defaults.update(getattr(cls, "default_error_messages", {}))
    for code, message in mine.items():
        current = field.error_messages.get(code)
        if current is None or (code in defaults and _is_default(current, defaults[code])):
            field.error_messages[code] = message


def _validator(validator, label):
    """A copy of one of Django's validators with our message, or the validator itself when
    it is not one of Django's or carries a message of its own."""
    kind = type(validator)
    if kind is validators.DecimalValidator:
        ours = copy.copy(validator)
        places = validator.decimal_places or 0
        ours.messages = {
            **validator.messages,
            "max_decimal_places": f"{label} can have up to {places} decimal places",
            "invalid": f"{label} must be a number, like 37.5",
        }
        if validator.max_digits is not None:
            whole = validator.max_digits - places
            largest = Decimal(10) ** whole - Decimal(1).scaleb(-places)
            too_big = f"{label} must be {_number(largest)} or less"
            ours.messages |= {"max_digits": too_big, "max_whole_digits": too_big}
        return ours
    if not _is_default(getattr(validator, "message", ""), getattr(kind, "message", None)):
        return validator
    limit = getattr(validator, "limit_value", None)
    shown = _number(limit) if not callable(limit) else None
    message = {
        validators.MaxLengthValidator: f"{label} must be {shown} characters or fewer",
        validators.MinLengthValidator: f"{label} must be {shown} characters or more",
        validators.MaxValueValidator: f"{label} must be {shown} or less",
        validators.MinValueValidator: f"{label} must be {shown} or more",
        validators.ProhibitNullCharactersValidator: (
            f"{label} holds an invisible null character: type it again without it"
        ),
        validators.EmailValidator: (f"Enter {_phrase(label)} in the right form, like name@nhs.net"),
        validators.URLValidator: (
            f"Enter {_phrase(label)} as a web address, like https://www.nhs.uk"
        ),
    }.get(kind)
    if message is None or (shown is None and limit is not None):
        return validator
    ours = copy.copy(validator)
    ours.message = message
    return ours


def _text_limit(field, label):
    """Free text gets a limit if it has none, says it in its hint, and is refused past it
    with a message rather than cut by the browser."""
    if not isinstance(field, forms.CharField):
        return
    if field.max_length is None and isinstance(field.widget, forms.Textarea):
        field.max_length = TEXT_LIMIT
        field.validators.append(validators.MaxLengthValidator(TEXT_LIMIT))
    field.widget.attrs.pop("maxlength", None)
    if field.max_length and field.max_length >= SAY_LIMIT_FROM and not field.widget.is_hidden:
        limit = f"Up to {field.max_length:,} characters."
        help_text = str(field.help_text or "").strip()
        if limit not in help_text:
            field.help_text = f"{help_text.rstrip('.')}. {limit}" if help_text else limit


# A select's blank first option, in place of Django's "- Select an option -".
BLANK_CHOICE = "Choose one"


def _blank_choice(field):
    """A select's blank option in plain words."""
    django_label = str(get_blank_choice_label())
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None and str(field.empty_label) == django_label:
            field.empty_label = BLANK_CHOICE
    elif isinstance(field, forms.ChoiceField) and not callable(field.choices):
        choices = list(field.choices)
        if any(value == "" and str(label) == django_label for value, label in choices):
            field.choices = [
                (value, BLANK_CHOICE if value == "" and str(label) == django_label else label)
                for value, label in choices
            ]


def nhs_messages(field, name):
    """Put one field's messages in our words (once per form instance)."""
    if getattr(field, "_nhs_messages", False):
        return
    field._nhs_messages = True
    label = _label(field, name)
    _text_limit(field, label)
    _blank_choice(field)
    _field_messages(field, label)
    field.validators = [_validator(v, label) for v in field.validators]
    if isinstance(field, forms.MultiValueField):
        for part in field.fields:
            part.validators = [_validator(v, label) for v in part.validators]


class NHSMessagesMixin:
    """For a form: its fields' messages in the NHS.UK style (see the module). Applied when
    the form is cleaned or a field is shown, so fields a form adds in its own __init__ are
    covered too."""

    def nhs_messages(self):
        # Once per field: a form shows each field through __getitem__, so skip the walk
        # unless a field was added since.
        if getattr(self, "_nhs_fields_seen", None) == len(self.fields):
            return
        for name, field in self.fields.items():
            nhs_messages(field, name)
        self._nhs_fields_seen = len(self.fields)

    def full_clean(self):
        self.nhs_messages()
        super().full_clean()

    def __getitem__(self, name):
        self.nhs_messages()
        return super().__getitem__(name)


def _patterns(message):
    """A Django default message as patterns: its placeholders match anything; a message
    with a singular and a plural ("digit", "digits") as each."""
    texts = {str(message)}
    for number in (1, 2):
        with contextlib.suppress(TypeError, ValueError, KeyError):
            texts.add(str(message % collections.defaultdict(lambda n=number: n)))
    for text in texts - {"", "Enter a valid value."}:  # too general to tell from ours
        text = re.escape(text)
        text = re.sub(r"%\\\(\w+\\\)[sd]", ".+?", text)
        text = re.sub(r"\\\{\w*\\\}", ".+?", text)
        yield re.sub(r"(?<![\\\w])[12](?!\w)", r"\\d+", text)


def _defaults():
    # A list: the plural messages are lazy and all read "" until formatted, so a set would
    # keep one of them.
    messages = []
    for cls in [*vars(forms).values(), *vars(models).values()]:
        if isinstance(cls, type) and issubclass(cls, forms.Field | models.Field):
            messages += getattr(cls, "default_error_messages", {}).values()
    for cls in vars(validators).values():
        if isinstance(cls, type) and isinstance(getattr(cls, "message", None), str | Promise):
            messages.append(cls.message)
    messages += validators.DecimalValidator.messages.values()
    messages.append(forms.models.ModelChoiceField.default_error_messages["invalid_choice"])
    patterns = {pattern for m in messages for pattern in _patterns(m)}
    return re.compile("|".join(sorted(patterns, key=len, reverse=True)))


DEFAULT_MESSAGES = _defaults()
