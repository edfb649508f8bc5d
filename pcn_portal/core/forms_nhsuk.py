"""NHS.UK design-system forms: the date input field, a form helper and layout objects.

They work with the `nhsuk` crispy-forms template pack in templates/nhsuk/, which renders
every form field in NHS.UK markup (label, hint, error message, error summary).
"""

import datetime
import re

from crispy_forms import layout
from crispy_forms.helper import FormHelper
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.core.exceptions import ValidationError

DATE_PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

SIZES = ("s", "m", "l", "xl")


class NHSDateInput(forms.MultiWidget):
    """Three text boxes, Day, Month and Year, as the NHS.UK date input.

    The inputs are named `<name>_day`, `<name>_month` and `<name>_year`, with ids built
    the same way from the field's id.
    """

    is_nhsuk_date_input = True

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(attrs={"inputmode": "numeric"}) for part, _, _ in DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        for subwidget, (part, label, width) in zip(
            context["widget"]["subwidgets"], DATE_PARTS, strict=True
        ):
            if id_:
                subwidget["attrs"]["id"] = f"{id_}_{part}"
            subwidget.update(part=part, label=label, width=width)
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""


class LinkedDateInput(NHSDateInput):
    """The NHS.UK date input of a page shown as of a date, which also reads the date
    given whole, `?on=2025-04-01`, as the page's links carry it, when no box is filled
    in (a date that is not one reads as none)."""

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and data.get(name):
            return self.decompress(data.get(name))
        return parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class DateInputField(forms.MultiValueField):
    """A date entered as day, month and year, cleaned to a `datetime.date`.

    Use it in place of `forms.DateField`, in a model form too:
    `Meta.field_classes = {"start_date": DateInputField}`. Error messages follow the
    NHS.UK date input guidance; override any of them through `error_messages`.
    An "incomplete" message may use `%(missing)s` ("year", "day and month", ...).

    Years run from 1948 (the NHS's first; the ODS files date nothing earlier) to 2100: a
    date the portal accepts always has a day after it, and a year typed as 20225 or 0225
    is a slip, not a date to keep.
    """

    min_year = 1948
    max_year = 2100

    widget = NHSDateInput
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "Date must include a %(missing)s",
        "invalid": "Enter a real date",
        "invalid_year": "Year must include 4 numbers",
        "year_range": "Year must be between %(min_year)s and %(max_year)s",
    }

    def __init__(self, **kwargs):
        fields = tuple(forms.CharField(required=False) for _ in DATE_PARTS)
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if self.required and not any(_part_values(data_list)):
            raise ValidationError(self.error_messages["required"], code="required")
        return self._to_date(data_list)

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            return self._to_date(initial) != self._to_date(data)
        except ValidationError:
            return True

    def _to_date(self, value):
        """The date in a list of day, month and year (or a date), None if all are blank."""
        if not isinstance(value, (list, tuple)):
            value = self.widget.decompress(value)
        values = _part_values(value)
        if not any(values):
            return None
        missing = [
            part for (part, _, _), value in zip(DATE_PARTS, values, strict=True) if not value
        ]
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))
        day, month, year = values
        month_number = _month_number(month)
        if not _is_number(day) or not 1 <= int(day) <= 31:
            raise self._error("invalid", ["day"])
        if month_number is None or not 1 <= month_number <= 12:
            raise self._error("invalid", ["month"])
        if not _is_number(year):
            raise self._error("invalid", ["year"])
        if len(year) != 4:
            raise self._error("invalid_year", ["year"])
        if not self.min_year <= int(year) <= self.max_year:
            raise self._error(
                "year_range", ["year"], min_year=self.min_year, max_year=self.max_year
            )
        try:
            return datetime.date(int(year), month_number, int(day))
        except ValueError:
            raise self._error("invalid", []) from None

    def _error(self, code, parts, **params):
        """A ValidationError naming the parts (day, month, year) at fault; none means all."""
        return ValidationError(
            self.error_messages[code], code=code, params={"parts": parts, **params}
        )


def _part_values(data_list):
    values = [str(value).strip() if value is not None else "" for value in data_list]
    values += [""] * (len(DATE_PARTS) - len(values))
    return values[: len(DATE_PARTS)]


def _is_number(value):
    return re.fullmatch(r"[0-9]+", value) is not None


def _month_number(value):
    """The month as a number, from digits or a name ("3", "03", "Mar", "March")."""
    if _is_number(value):
        return int(value)
    name = value.lower()
    for number, month in enumerate(MONTH_NAMES, start=1):
        if len(name) >= 3 and month.startswith(name):
            return number
    return None


class NHSFormHelper(FormHelper):
    """A FormHelper for NHS.UK forms: posts, turns off browser validation (the server's
    error messages are the accessible ones) and adds a submit button.

    `NHSFormHelper(submit_label="Save")` names the button; `submit_label=None` leaves it out.
    """

    def __init__(self, form=None, *, submit_label="Continue"):
        super().__init__(form)
        self.form_method = "post"
        self.attrs = {"novalidate": True}
        # Instance attributes reach the pack's templates, class attributes do not.
        self.nhsuk_form_helper = True
        if submit_label:
            self.add_input(layout.Submit("submit", submit_label))


class SecondarySubmit(layout.Submit):
    """A submit button styled as an NHS.UK secondary button."""

    field_classes = "nhsuk-button--secondary"


class NHSField(layout.Field):
    """A field with a sized label (or legend), optionally the page's heading.

    `NHSField("name", label_size="l", page_heading=True)` renders the label inside an <h1>.
    Other keyword arguments become attributes of the input, as with crispy's Field.
    """

    def __init__(self, *fields, label_size=None, page_heading=False, **kwargs):
        if label_size is not None and label_size not in SIZES:
            raise ValueError(f"label_size must be one of {', '.join(SIZES)}")
        super().__init__(*fields, **kwargs)
        self.label_size = label_size
        self.page_heading = page_heading

    def render(self, form, context, template_pack=TEMPLATE_PACK, extra_context=None, **kwargs):
        extra_context = {
            **(extra_context or {}),
            "label_size": self.label_size,
            "page_heading": self.page_heading,
        }
        return super().render(form, context, template_pack, extra_context=extra_context, **kwargs)


class NHSFieldset(layout.Fieldset):
    """Fields grouped in an NHS.UK fieldset; the legend is medium-sized unless `size` says.

    `NHSFieldset("Address", "line_1", "town", size="l", page_heading=True)`.
    """

    def __init__(self, legend, *fields, size="m", page_heading=False, **kwargs):
        if size not in SIZES:
            raise ValueError(f"size must be one of {', '.join(SIZES)}")
        super().__init__(legend, *fields, **kwargs)
        self.legend_size = size
        self.page_heading = page_heading
