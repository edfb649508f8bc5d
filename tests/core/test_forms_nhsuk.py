"""The `nhsuk` crispy-forms template pack and the NHS.UK date input.

Forms are rendered and the HTML parsed, to check what a screen reader relies on: labels tied
to inputs, hints and error messages announced with their input, an error summary whose links
lead to the inputs at fault, legends on every fieldset.
"""

import datetime

import pytest
from crispy_forms.layout import Layout
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.test.utils import isolate_apps

from pcn_portal.core.forms_nhsuk import (
    DateInputField,
    NHSField,
    NHSFieldset,
    NHSFormHelper,
    SecondarySubmit,
)
from tests.html import Element, parse


def render(template, **context):
    request = RequestFactory().get("/")
    html = Template("{% load crispy_forms_tags %}" + template).render(
        RequestContext(request, context)
    )
    return parse(html)


def controls(root):
    """The inputs a user fills in: everything but hidden inputs and buttons."""
    return [
        element
        for element in root.iter()
        if element.tag in ("input", "select", "textarea")
        and element.attrs.get("type") not in ("hidden", "submit", "button")
    ]


# --- a form with one field of every kind -----------------------------------------------------


class ReferralForm(forms.Form):
    full_name = forms.CharField(label="Full name", help_text="As it appears on the GP record")
    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"class": "nhsuk-input--width-20"})
    )
    list_size = forms.IntegerField(label="List size")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea,
        help_text="Do not include personal information",
    )
    region = forms.ChoiceField(
        label="Region",
        choices=[("", "Choose a region"), ("north", "North"), ("south", "South")],
    )
    contact = forms.ChoiceField(
        label="How should we contact you?",
        widget=forms.RadioSelect,
        choices=[("email", "Email"), ("phone", "Phone")],
        help_text="Select one option",
    )
    services = forms.MultipleChoiceField(
        label="Which services do you offer?",
        widget=forms.CheckboxSelectMultiple,
        choices=[("ehs", "Extended hours"), ("smr", "Structured medication reviews")],
        help_text="Select all that apply",
    )
    confirm = forms.BooleanField(
        label="I confirm the details are correct", help_text="We will check them with the ICB"
    )
    evidence = forms.FileField(label="Upload evidence")
    start_date = DateInputField(label="Start date", help_text="For example, 15 3 2024")


VALID_DATA = {
    "full_name": "Ada Lovelace",
    "email": "ada@example.nhs.uk",
    "list_size": "12000",
    "password": "not-a-real-secret",
    "notes": "Nothing to add",
    "region": "north",
    "contact": "phone",
    "services": ["ehs", "smr"],
    "confirm": "on",
    "start_date_day": "15",
    "start_date_month": "3",
    "start_date_year": "2024",
}

INVALID_DATA = {
    "email": "not an email",
    "list_size": "lots",
    "region": "",
    "start_date_day": "31",
    "start_date_month": "2",
    "start_date_year": "2024",
}

FORM_ERROR = "The referral cannot be sent until the ICB has approved the network"

# Field, the element aria-describedby belongs on, the error message a user is given.
EXPECTED_ERRORS = [
    ("full_name", "input", "This field is required."),
    ("email", "input", "Enter a valid email address."),
    ("list_size", "input", "Enter a whole number."),
    ("password", "input", "This field is required."),
    ("notes", "textarea", "This field is required."),
    ("region", "select", "This field is required."),
    ("contact", "fieldset", "This field is required."),
    ("services", "fieldset", "This field is required."),
    ("confirm", "input", "This field is required."),
    ("evidence", "input", "This field is required."),
    ("start_date", "fieldset", "Enter a real date"),
]


@pytest.fixture
def invalid_form():
    form = ReferralForm(data=INVALID_DATA)
    assert not form.is_valid()
    form.add_error(None, FORM_ERROR)
    return form


@pytest.fixture
def valid_form():
    files = {"evidence": SimpleUploadedFile("evidence.txt", b"approved")}
    form = ReferralForm(data=VALID_DATA, files=files)
    assert form.is_valid(), form.errors
    return form


def _fieldset_for(root, name):
    """The fieldset around a group of options or the parts of a date."""
    first_input = root.find_all("input", name=f"{name}_day") or root.find_all("input", name=name)
    return first_input[0].ancestor("fieldset")


# --- labels, hints and error messages --------------------------------------------------------


def test_every_input_has_a_label_tied_to_it_by_for_and_id(invalid_form):
    root = render("{% crispy form %}", form=invalid_form)

    fields = controls(root)
    names = {element.attrs["name"] for element in fields}
    assert names == {
        "full_name",
        "email",
        "list_size",
        "password",
        "notes",
        "region",
        "contact",
        "services",
        "confirm",
        "evidence",
        "start_date_day",
        "start_date_month",
        "start_date_year",
    }
    for element in fields:
        labels = root.find_all("label", for_=element.attrs["id"])
        assert len(labels) == 1, f"{element} has {len(labels)} labels"
        assert labels[0].text, f"the label of {element} is empty"
        assert "nhsuk-label" in labels[0].classes


@pytest.mark.parametrize(("name", "tag", "message"), EXPECTED_ERRORS)
def test_each_error_is_announced_with_its_field(invalid_form, name, tag, message):
    root = render("{% crispy form %}", form=invalid_form)
    field = invalid_form[name]
    target = _fieldset_for(root, name) if tag == "fieldset" else root.by_id(f"id_{name}")
    assert target.tag == tag

    described_by = target.attrs.get("aria-describedby", "").split()
    error = root.by_id(f"id_{name}-error")
    assert f"id_{name}-error" in described_by
    assert error.text == f"Error: {message}"
    assert "nhsuk-error-message" in error.classes
    assert error.find(class_="nhsuk-u-visually-hidden").text == "Error:"
    if field.help_text:
        assert f"id_{name}-hint" in described_by
        assert root.by_id(f"id_{name}-hint").text == field.help_text
    else:
        assert not [id_ for id_ in described_by if id_.endswith("-hint")]

    group = target.ancestor(class_="nhsuk-form-group")
    assert "nhsuk-form-group--error" in group.classes


@pytest.mark.parametrize(
    ("name", "error_class"),
    [
        ("full_name", "nhsuk-input--error"),
        ("email", "nhsuk-input--error"),
        ("notes", "nhsuk-textarea--error"),
        ("region", "nhsuk-select--error"),
    ],
)
def test_an_input_in_error_is_marked_as_such(invalid_form, name, error_class):
    element = render("{% crispy form %}", form=invalid_form).by_id(f"id_{name}")

    assert error_class in element.classes
    assert element.attrs["aria-invalid"] == "true"


def test_inputs_keep_the_classes_given_to_their_widget(invalid_form):
    email = render("{% crispy form %}", form=invalid_form).by_id("id_email")

    assert {"nhsuk-input", "nhsuk-input--width-20", "nhsuk-input--error"} <= set(email.classes)
    assert email.attrs["type"] == "email"


def test_radios_and_checkboxes_are_grouped_in_fieldsets_with_legends(invalid_form):
    root = render("{% crispy form %}", form=invalid_form)

    for name, kind, input_type in (
        ("contact", "radios", "radio"),
        ("services", "checkboxes", "checkbox"),
    ):
        options = root.find_all("input", name=name)
        assert [option.attrs["type"] for option in options] == [input_type, input_type]
        fieldset = options[0].ancestor("fieldset")
        assert fieldset.find("legend").text == invalid_form[name].label
        assert all(option.ancestor("fieldset") is fieldset for option in options)
        assert all(f"nhsuk-{kind}__input" in option.classes for option in options)
        assert options[0].ancestor(class_=f"nhsuk-{kind}") is not None
    labels = [label.text for label in root.find_all("label", class_="nhsuk-radios__label")]
    assert labels == ["Email", "Phone"]


def test_every_fieldset_has_a_legend(invalid_form):
    root = render("{% crispy form %}", form=invalid_form)

    fieldsets = root.find_all("fieldset")
    assert len(fieldsets) == 3
    for fieldset in fieldsets:
        legend = next(child for child in fieldset.children if isinstance(child, Element))
        assert legend.tag == "legend", "the legend must be the fieldset's first child"
        assert legend.text


def test_a_single_checkbox_is_labelled_by_its_statement(invalid_form):
    root = render("{% crispy form %}", form=invalid_form)

    checkbox = root.by_id("id_confirm")
    assert checkbox.attrs["type"] == "checkbox"
    assert root.find("label", for_="id_confirm").text == "I confirm the details are correct"
    assert checkbox.attrs["aria-describedby"].split() == ["id_confirm-hint", "id_confirm-error"]


def test_file_input_uses_the_file_upload_component(invalid_form):
    evidence = render("{% crispy form %}", form=invalid_form).by_id("id_evidence")

    assert evidence.attrs["type"] == "file"
    assert "nhsuk-file-upload__input" in evidence.classes
    assert "nhsuk-file-upload" in evidence.ancestor(class_="nhsuk-form-group").classes


# --- the error summary -----------------------------------------------------------------------


def test_error_summary_lists_every_error_with_a_link_to_its_input(invalid_form):
    root = render("{% crispy form %}", form=invalid_form)

    summary = root.find(class_="nhsuk-error-summary")
    heading = summary.find(role="alert").find("h2")
    assert heading.text == "There is a problem"
    assert heading.classes == ["nhsuk-error-summary__heading"]
    items = summary.find("ul", class_="nhsuk-error-summary__list").find_all("li")
    assert len(items) == len(EXPECTED_ERRORS) + 1

    assert items[0].text == FORM_ERROR
    assert not items[0].find_all("a"), "an error about the whole form links nowhere"
    for item, (name, _, message) in zip(items[1:], EXPECTED_ERRORS, strict=True):
        link = item.find("a")
        assert link.text == message
        assert link.attrs["href"].startswith("#")
        target = root.by_id(link.attrs["href"][1:])
        assert target.tag in ("input", "select", "textarea"), f"{name} links to {target}"
        assert target.attrs["name"] in (name, f"{name}_day")


def test_error_summary_comes_before_the_fields(invalid_form):
    root = render("{% crispy form %}", form=invalid_form)

    elements = list(root.iter())
    summary = root.find(class_="nhsuk-error-summary")
    first_input = controls(root)[0]
    assert elements.index(summary) < elements.index(first_input)


def test_a_valid_form_shows_no_errors(valid_form):
    root = render("{% crispy form %}", form=valid_form)

    assert len(controls(root)) == 15
    assert not root.find_all(class_="nhsuk-error-summary")
    assert not root.find_all(class_="nhsuk-error-message")
    for element in root.iter():
        assert not [c for c in element.classes if c.endswith("--error")], element
        assert "aria-invalid" not in element.attrs, element
        assert "-error" not in element.attrs.get("aria-describedby", ""), element
    assert root.by_id("id_full_name").attrs["aria-describedby"] == "id_full_name-hint"


# --- the date input --------------------------------------------------------------------------


def test_date_input_is_three_labelled_boxes_in_a_fieldset(valid_form):
    root = render("{% crispy form %}", form=valid_form)

    date_input = root.find(class_="nhsuk-date-input")
    fieldset = date_input.ancestor("fieldset")
    assert fieldset.attrs["role"] == "group"
    assert fieldset.find("legend").text == "Start date"
    assert fieldset.attrs["aria-describedby"] == "id_start_date-hint"
    items = date_input.find_all(class_="nhsuk-date-input__item")
    assert len(items) == 3
    boxes = [item.find("input") for item in items]
    labels = [item.find("label") for item in items]
    assert [label.text for label in labels] == ["Day", "Month", "Year"]
    assert [label.attrs["for"] for label in labels] == [box.attrs["id"] for box in boxes]
    assert [box.attrs["name"] for box in boxes] == [
        "start_date_day",
        "start_date_month",
        "start_date_year",
    ]
    assert [box.attrs["value"] for box in boxes] == ["15", "3", "2024"]
    widths = [[c for c in box.classes if c.startswith("nhsuk-input--width-")] for box in boxes]
    assert widths == [["nhsuk-input--width-2"], ["nhsuk-input--width-2"], ["nhsuk-input--width-4"]]
    for box in boxes:
        assert {"nhsuk-input", "nhsuk-date-input__input"} <= set(box.classes)
        assert box.attrs["inputmode"] == "numeric"


def test_date_error_marks_all_three_boxes_when_the_date_is_not_real(invalid_form):
    root = render("{% crispy form %}", form=invalid_form)

    boxes = root.find(class_="nhsuk-date-input").find_all("input")
    assert all("nhsuk-input--error" in box.classes for box in boxes)
    link = root.find(class_="nhsuk-error-summary").find("a", href="#id_start_date_day")
    assert link.text == "Enter a real date"


def test_date_error_marks_only_the_missing_part():
    form = ReferralForm(data={"start_date_day": "1", "start_date_month": "3"})
    form.is_valid()
    root = render("{% crispy form %}", form=form)

    marked = [
        box.attrs["name"]
        for box in root.find(class_="nhsuk-date-input").find_all("input")
        if "nhsuk-input--error" in box.classes and box.attrs.get("aria-invalid") == "true"
    ]
    assert marked == ["start_date_year"]
    assert root.by_id("id_start_date-error").text == "Error: Date must include a year"
    link = root.find(class_="nhsuk-error-summary").find("a", href="#id_start_date_year")
    assert link.text == "Date must include a year"


class WhenForm(forms.Form):
    when = DateInputField(label="When")
    optional = DateInputField(label="Optional", required=False)


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("15", "3", "2024", datetime.date(2024, 3, 15)),
        ("01", "03", "2024", datetime.date(2024, 3, 1)),
        (" 29 ", "2", "2024", datetime.date(2024, 2, 29)),
        ("5", "March", "2024", datetime.date(2024, 3, 5)),
        ("5", "sep", "2024", datetime.date(2024, 9, 5)),
    ],
)
def test_date_field_cleans_to_a_date(day, month, year, expected):
    form = WhenForm(data={"when_day": day, "when_month": month, "when_year": year})

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"when": expected, "optional": None}


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2024", "Enter a real date"),
        ("29", "2", "2023", "Enter a real date"),
        ("1", "13", "2024", "Enter a real date"),
        ("32", "1", "2024", "Enter a real date"),
        ("ab", "3", "2024", "Enter a real date"),
        ("1", "3", "two thousand", "Enter a real date"),
        ("1", "3", "", "Date must include a year"),
        ("", "3", "2024", "Date must include a day"),
        ("1", "", "", "Date must include a month and year"),
        ("1", "3", "24", "Year must include 4 numbers"),
        ("1", "4", "9999", "Year must be between 1948 and 2100"),
        ("31", "12", "1947", "Year must be between 1948 and 2100"),
        ("", "", "", "Enter a date"),
    ],
)
def test_date_field_explains_what_is_wrong(day, month, year, message):
    form = WhenForm(data={"when_day": day, "when_month": month, "when_year": year})

    assert not form.is_valid()
    assert form.errors == {"when": [message]}


def test_date_field_messages_can_be_made_specific():
    class StartForm(forms.Form):
        start = DateInputField(
            label="Start date",
            error_messages={
                "required": "Enter the start date",
                "incomplete": "Start date must include a %(missing)s",
            },
        )

    assert StartForm(data={}).errors == {"start": ["Enter the start date"]}
    assert StartForm(data={"start_day": "1"}).errors == {
        "start": ["Start date must include a month and year"]
    }


@isolate_apps("pcn_portal")
def test_date_field_works_in_a_model_form():
    class Review(models.Model):
        due_on = models.DateField(help_text="The date the review is due")

        class Meta:
            app_label = "pcn_portal"

        def __str__(self):
            return f"Review due on {self.due_on}"

    ReviewForm = forms.modelform_factory(
        Review, fields=["due_on"], field_classes={"due_on": DateInputField}
    )

    unbound = ReviewForm(instance=Review(due_on=datetime.date(2025, 4, 1)))
    root = render("{% crispy form %}", form=unbound)
    boxes = root.find(class_="nhsuk-date-input").find_all("input")
    assert [box.attrs["value"] for box in boxes] == ["1", "4", "2025"]
    assert root.find("legend").text == "Due on"
    assert root.by_id("id_due_on-hint").text == "The date the review is due"

    same_date = {"due_on_day": "01", "due_on_month": "04", "due_on_year": "2025"}
    bound = ReviewForm(data=same_date, instance=Review(due_on=datetime.date(2025, 4, 1)))
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["due_on"] == datetime.date(2025, 4, 1)
    assert not bound.has_changed()

    moved = ReviewForm(
        data={**same_date, "due_on_day": "2"}, instance=Review(due_on=datetime.date(2025, 4, 1))
    )
    assert moved.is_valid()
    assert moved.changed_data == ["due_on"]
    assert moved.save(commit=False).due_on == datetime.date(2025, 4, 2)


# --- helper, layout objects and the ways of rendering ---------------------------------------


class ContactForm(forms.Form):
    name = forms.CharField(label="What is your name?")
    line_1 = forms.CharField(label="Address line 1")
    town = forms.CharField(label="Town or city", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NHSFormHelper(submit_label="Save")
        self.helper.add_input(SecondarySubmit("cancel", "Cancel"))
        self.helper.layout = Layout(
            NHSField("name", label_size="l", page_heading=True, autocomplete="name"),
            NHSFieldset("Your address", "line_1", "town"),
        )


def test_helper_draws_the_form_with_its_buttons():
    root = render("{% crispy form %}", form=ContactForm())

    form = root.find("form")
    assert form.attrs["method"] == "post"
    assert "novalidate" in form.attrs
    assert form.find("input", name="csrfmiddlewaretoken").attrs["type"] == "hidden"
    buttons = form.find_all("button")
    assert [button.text for button in buttons] == ["Save", "Cancel"]
    assert [button.attrs["type"] for button in buttons] == ["submit", "submit"]
    assert buttons[0].classes == ["nhsuk-button"]
    assert buttons[1].classes == ["nhsuk-button", "nhsuk-button--secondary"]
    # NHS.UK frontend ignores a second click within a second of the first.
    assert [button.attrs.get("data-prevent-double-click") for button in buttons] == [
        "true",
        "true",
    ]


def test_layout_objects_give_headings_and_legends():
    root = render("{% crispy form %}", form=ContactForm())

    heading = root.find("h1")
    label = heading.find("label")
    assert label.text == "What is your name?"
    assert label.classes == ["nhsuk-label", "nhsuk-label--l"]
    assert root.by_id(label.attrs["for"]).attrs["autocomplete"] == "name"

    fieldset = root.find("fieldset")
    legend = fieldset.find("legend")
    assert legend.text == "Your address"
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"]
    assert [element.attrs["name"] for element in controls(fieldset)] == ["line_1", "town"]


def test_a_form_without_a_helper_renders_inside_the_pages_own_form(invalid_form):
    for template in ("{% crispy form %}", "{{ form|crispy }}"):
        root = render(template, form=invalid_form)

        assert not root.find_all("form")
        assert not root.find_all("button")
        assert root.find_all(class_="nhsuk-error-summary")
        assert len(controls(root)) == 15


def test_a_single_field_renders_as_a_form_group(invalid_form):
    root = render("{{ form.notes|as_crispy_field }}", form=invalid_form)

    group = root.find(class_="nhsuk-form-group")
    assert "nhsuk-form-group--error" in group.classes
    assert group.find("label", for_="id_notes").text == "Notes"
    assert group.by_id("id_notes").attrs["aria-describedby"] == "id_notes-hint id_notes-error"


def test_no_inline_styles_or_scripts(invalid_form):
    pages = [
        render("{% crispy form %}", form=invalid_form),
        render("{% crispy form %}", form=ContactForm(data={})),
    ]

    for root in pages:
        for element in root.iter():
            assert "style" not in element.attrs, element
            assert not [name for name in element.attrs if name.startswith("on")], element
            assert element.tag not in ("style", "script"), element


def test_errors_are_not_shown_when_the_helper_hides_them():
    form = ContactForm(data={})
    assert not form.is_valid()
    form.helper.form_show_errors = False
    root = render("{% crispy form %}", form=form)

    assert not root.find_all(class_="nhsuk-error-summary")
    assert not root.find_all(class_="nhsuk-error-message")
    assert "nhsuk-input--error" not in root.by_id("id_name").classes


def test_formset_error_summary_links_to_each_forms_inputs():
    DateFormSet = forms.formset_factory(WhenForm, extra=2)
    formset = DateFormSet(
        data={
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-when_day": "1",
            "form-0-when_month": "2",
            "form-0-when_year": "2024",
            "form-1-when_day": "1",
        }
    )
    assert not formset.is_valid()
    root = render("{% crispy formset helper %}", formset=formset, helper=NHSFormHelper())

    links = root.find(class_="nhsuk-error-summary").find_all("a")
    assert [(link.text, link.attrs["href"]) for link in links] == [
        ("Date must include a month and year", "#id_form-1-when_month")
    ]
    assert root.by_id("id_form-1-when_month").attrs["name"] == "form-1-when_month"
    assert root.find("form").find("input", name="form-TOTAL_FORMS").attrs["value"] == "2"
