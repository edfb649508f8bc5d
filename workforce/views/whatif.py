"""What if we hire? From the budget page, a manager prices posts before making any
(workforce.whatif) and compares them side by side.

The posts priced are kept in the address, one `post` value each (its terms joined by
"~": role code, band, hours, zone, full-time salary, NI, pension, first day, last day),
so the comparison is read, bookmarked and shared like any page and nothing is written.
The form is sent with GET: a post it prices is added to those in the address and the page
shown again with an empty form for the next.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.shortcuts import redirect
from django.urls import reverse

from networks.loaders import load_pcn
from networks.pages import render_network
from pcn_portal.core.citations import NO_SOURCE
from pcn_portal.core.dates import financial_year_bounds, financial_year_label
from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.forms_nhsuk import DateInputField, NHSFormHelper
from workforce import rules, whatif
from workforce.forms import PostForm, work_out_employer_ni
from workforce.models import FULL_TIME_HOURS, LondonZone, Post
from workforce.views.budget import valid_year

MAX_POSTS = 4  # side by side, the most a page can show readably
SEPARATOR = "~"
DATE_FIELDS = ("start_date", "end_date")


class WhatIfForm(NHSMessagesMixin, forms.ModelForm):
    """A post's terms, as the post form asks for them (its labels and hints, and employer
    NI worked out the same way when left blank), checked against the role's bands and the
    year priced. The roles are read once by the page and handed to every form it binds."""

    role = forms.ChoiceField(label="Role", error_messages={"required": "Choose the role"})
    afc_band = PostForm.base_fields["afc_band"]

    class Meta:
        model = Post
        fields = [name for name in whatif.TERMS if name != "role"]
        field_classes = dict.fromkeys(DATE_FIELDS, DateInputField)
        labels = {
            **{k: v for k, v in PostForm.Meta.labels.items() if k in whatif.TERMS},
            "start_date": "First day",
        }
        help_texts = {
            **{k: v for k, v in PostForm.Meta.help_texts.items() if k in whatif.TERMS},
            "start_date": "For example, 1 6 2026",
        }
        widgets = {"london_zone": forms.RadioSelect}

    def __init__(self, *args, roles, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = {role.code: role for role in roles}
        self.year = year
        self.fields["role"].choices = [("", "Choose a role")] + [
            (role.code, role.name) for role in roles
        ]
        self.fields["london_zone"].choices = LondonZone.choices
        self.fields["annual_employer_ni"].required = False
        # Blank, not £0: NI left blank is worked out; the pension must be given.
        self.initial.update(annual_employer_ni=None, annual_employer_pension=None)
        # The ranges the database holds a post's terms to (workforce.models.term_constraints).
        self.fields["weekly_hours"].validators += [
            MinValueValidator(Decimal("0.01"), "Weekly hours must be more than 0"),
            MaxValueValidator(FULL_TIME_HOURS * 2, "Weekly hours must be at most 75"),
        ]
        for name in ("annual_salary", "annual_employer_ni", "annual_employer_pension"):
            self.fields[name].validators.append(MinValueValidator(0, "Enter £0 or more"))
        self.order_fields(["role", *whatif.TERMS])
        self.helper = NHSFormHelper(submit_label=None)
        self.helper.form_tag = False  # the page's own form carries the posts kept

    def clean_role(self):
        return self.roles[self.cleaned_data["role"]]

    def clean(self):
        cleaned = super().clean()
        role, band = cleaned.get("role"), cleaned.get("afc_band")
        if role is not None and "afc_band" in cleaned:
            self._check_band(role, band)
        first, last = cleaned.get("start_date"), cleaned.get("end_date")
        if role is not None and first:
            self._check_reimbursable(role, first, last)
        year_start, year_end = financial_year_bounds(self.year)
        label = financial_year_label(self.year)
        if first and first > year_end:
            self.add_error(
                "start_date",
                f"The first day is after {year_end.day} {year_end:%B %Y}, the end of {label}: "
                "price the post on the next year's budget",
            )
        if first and last and last < first:
            self.add_error("end_date", "The last day must be the first day or later")
        if last and last < year_start:
            self.add_error(
                "end_date", f"The last day is before {label} starts: the post costs it nothing"
            )
        if cleaned.get("annual_employer_ni") is None and "annual_employer_ni" not in self.errors:
            self._work_out_ni(cleaned)
        return cleaned

    def _check_band(self, role, band):
        """The band rule the post form's save applies (workforce.rules.check_post)."""
        bands = rules.role_bands(role)
        if bands and band not in bands:
            listed = " or ".join(bands) if len(bands) < 3 else f"{bands[0]} to {bands[-1]}"
            self.add_error("afc_band", f"Choose the band: {role} posts are on band {listed}")
        if not bands and band:
            self.add_error("afc_band", f"{role} posts have no Agenda for Change band")

    def _check_reimbursable(self, role, first, last):
        """The days the register funds a role's posts on (workforce.rules.check_post)."""
        if first < role.reimbursable_from:
            self.add_error(
                "start_date",
                f"{role} posts can be ARRS-funded from {rules.day_text(role.reimbursable_from)} "
                f"({role.citation() or NO_SOURCE}): start the post on or after that day",
            )
        until = role.reimbursable_until
        if until and (last is None or last > until):
            self.add_error(
                "end_date",
                f"{role} posts are ARRS-funded up to and including {rules.day_text(until)}: "
                "end the post by then",
            )

    def _work_out_ni(self, cleaned):
        """Employer NI left blank: worked out as the post form does."""
        work_out_employer_ni(self, cleaned, cleaned.get("start_date"))

    def _post_clean(self):
        pass  # nothing is saved: the terms are priced, not validated as a stored post


# --- the posts kept in the address ------------------------------------------------------

ORDER = ("role", "afc_band", "weekly_hours", "london_zone", "annual_salary",
         "annual_employer_ni", "annual_employer_pension", "start_date", "end_date")  # fmt: skip


def encode(terms):
    """A priced post's terms as one value of the address."""
    values = []
    for name in ORDER:
        value = terms.get(name)
        if name == "role":
            value = value.code
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        values.append("" if value is None else str(value))
    return SEPARATOR.join(values)


def form_data(value):
    """The form's data for a value of the address (its dates as their three boxes), or
    None for a value that is not one."""
    parts = value.split(SEPARATOR)
    if len(parts) != len(ORDER):
        return None
    data = dict(zip(ORDER, parts, strict=True))
    for name in DATE_FIELDS:
        text = data.pop(name)
        try:
            day = datetime.date.fromisoformat(text) if text else None
        except ValueError:
            return None
        data.update(
            {
                f"{name}_day": str(day.day) if day else "",
                f"{name}_month": str(day.month) if day else "",
                f"{name}_year": str(day.year) if day else "",
            }
        )
    return data


def read_kept(values, roles, year):
    """The posts kept in the address that read as valid terms (at most MAX_POSTS), each
    (its value, its terms), and how many did not."""
    kept, unreadable = [], 0
    for value in values[:MAX_POSTS]:
        data = form_data(value)
        form = WhatIfForm(data, roles=roles, year=year) if data else None
        if form is None or not form.is_valid():
            unreadable += 1
            continue
        kept.append((encode(form.cleaned_data), form.cleaned_data))
    return kept, unreadable + max(len(values) - MAX_POSTS, 0)


def address(pcn, year, values):
    url = reverse("workforce:whatif", kwargs={"code": pcn.code, "year": year})
    return f"{url}?{urlencode([('post', v) for v in values])}" if values else url


def add_post_address(pcn, terms):
    """The add-post form, filled in with the priced post's terms."""
    query = {
        "role": terms["role"].pk,
        "afc_band": terms["afc_band"],
        "weekly_hours": terms["weekly_hours"],
        "london_zone": terms["london_zone"],
        "annual_salary": terms["annual_salary"],
        "annual_employer_ni": terms["annual_employer_ni"],
        "annual_employer_pension": terms["annual_employer_pension"],
        "start_date": terms["start_date"].isoformat(),
    }
    if terms.get("end_date"):
        query["end_date"] = terms["end_date"].isoformat()
    return f"{reverse('workforce:post_add', args=[pcn.code])}?{urlencode(query)}"


@load_pcn
def whatif_page(request, pcn, year):
    """Price posts before making any: each beside the others and today's position."""
    valid_year(year)
    roles = whatif.pricing_roles(year)
    values = request.GET.getlist("post")
    kept, unreadable = read_kept(values, roles, year)
    form = WhatIfForm(request.GET if "role" in request.GET else None, roles=roles, year=year)
    full = len(kept) >= MAX_POSTS
    if form.is_bound and not full and form.is_valid():
        priced_values = [v for v, _ in kept] + [encode(form.cleaned_data)]
        return redirect(address(pcn, year, priced_values))
    position, priced = whatif.price(pcn, year, [terms for _, terms in kept], roles=roles)
    columns = []
    for index, ((_, terms), figures) in enumerate(zip(kept, priced, strict=True), start=1):
        others = [v for number, (v, _) in enumerate(kept, start=1) if number != index]
        columns.append(
            {
                "number": index,
                "terms": terms,
                "priced": figures,
                "remove": address(pcn, year, others),
                "add": add_post_address(pcn, terms) if request.can_edit else None,
            }
        )
    label = financial_year_label(year)
    budget_url = reverse("workforce:budget_detail", kwargs={"code": pcn.code, "year": year})
    return render_network(
        request,
        pcn,
        "workforce/whatif.html",
        {
            "form": form,
            "kept": [v for v, _ in kept],
            "full": full,
            "max_posts": MAX_POSTS,
            "columns": columns,
            "position": position,
            "unreadable": unreadable,
            "label": label,
            "year": year,
            "budget_url": budget_url,
            "clear": address(pcn, year, []),
        },
        section="budget",
        crumbs=[{"text": f"ARRS budget {label}", "href": budget_url}],
    )
