"""The staff register: a network's ARRS posts, current or all, and adding, changing and
ending a post. The ARRS rules are checked by the actions when a post is saved."""

import contextlib

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html

from networks.loaders import load_pcn, load_rw_pcn
from networks.pages import render_network
from pcn_portal.core.dates import today
from pcn_portal.core.forms import changes_from, posted, save_form, success_message
from pcn_portal.core.tables import Column, Table
from workforce import actions, calculations, rules, whatif
from workforce.calculations import money
from workforce.forms import EndPostForm, PostForm
from workforce.models import TERM_FIELDS, Post


class PostFilter(django_filters.FilterSet):
    show = django_filters.ChoiceFilter(
        label="Posts",
        choices=[("current", "In post today"), ("all", "All posts, past and future too")],
        method="by_time",
        empty_label=None,
    )

    class Meta:
        model = Post
        fields = []

    def by_time(self, posts, name, value):
        return posts if value == "all" else posts.current(today())


def employer(post):
    if post.employer_practice_id:
        return f"{post.get_employer_type_display()}: {post.employer_practice.display_name}"
    if post.employer_name:
        return f"{post.get_employer_type_display()}: {post.employer_name}"
    return post.get_employer_type_display()


def now(post):
    """The post's terms in force today (its first or last day's, if it has not started or
    has ended): what the register shows."""
    return calculations.terms_on(post, today())


def wte_text(post):
    terms = now(post)
    if terms.wte > 1:
        return f"{terms.wte} (reimbursed as 1.0)"
    return f"{terms.wte}"


def role_cell(post):
    """The role with its Agenda for Change band, as a manager names a post ("Clinical
    pharmacist, band 7"); a role with no band (a GP) is named alone."""
    band = now(post).afc_band
    if band:
        return f"{post.role.name}, band {band}"
    return post.role.name


def day(value):
    return f"{value.day} {value:%b %Y}"


def dates_cell(post):
    if post.end_date is None:
        return f"From {day(post.start_date)}, in post"
    return f"{day(post.start_date)} to {day(post.end_date)}"


def costs_cell(post):
    terms = now(post)
    return format_html(
        '£{} a year<br><span class="nhsuk-body-s nhsuk-u-margin-bottom-0">£{} full-time; '
        "NI £{}, pension £{}</span>",
        f"{terms.actual_salary:,.2f}",
        f"{terms.annual_salary:,.2f}",
        f"{terms.annual_employer_ni:,.2f}",
        f"{terms.annual_employer_pension:,.2f}",
    )


class PostTable(Table):
    """On screen some columns are combined to fit the page; the downloads keep each
    figure in its own column."""

    person = Column(
        "Person",
        "staff_member.full_name",
        sort="staff_member__full_name",
        link=lambda post: (
            reverse("workforce:post_edit", args=[post.pcn.code, post.pk]) if post.can_edit else None
        ),
    )
    role = Column("Role", role_cell, sort=("role__name", "band_now"), download=False)
    role_name = Column("Role", "role.name", screen=False)
    band = Column("AfC band", lambda p: now(p).afc_band or "–", screen=False)
    employer = Column("Employer", employer)
    dates = Column("Dates (last day included)", dates_cell, sort="start_date", download=False)
    start = Column("Start", "start_date", screen=False)
    last_day = Column("Last day", "end_date", screen=False)
    hours = Column(
        "Weekly hours (WTE)",
        lambda p: f"{now(p).weekly_hours} ({wte_text(p)})",
        numeric=True,
        sort="hours_now",
        download=False,
    )
    weekly_hours = Column("Weekly hours", lambda p: now(p).weekly_hours, screen=False)
    wte = Column("WTE", lambda p: now(p).wte, screen=False)
    costs = Column("Actual salary and on-costs", costs_cell, numeric=True,
                   sort="salary_now", download=False)  # fmt: skip
    salary = Column("Full-time equivalent salary", lambda p: now(p).annual_salary, screen=False)
    actual = Column("Actual salary", lambda p: money(now(p).actual_salary), screen=False)
    ni = Column("Employer NI", lambda p: now(p).annual_employer_ni, screen=False)
    pension = Column("Employer pension", lambda p: now(p).annual_employer_pension, screen=False)
    zone = Column("London zone", lambda p: now(p).get_london_zone_display(), screen=False)
    arrs = Column("ARRS-funded", lambda p: now(p).arrs_funded, sort="funded_now")
    registration = Column("Professional registration", "staff_member.professional_registration",
                          screen=False)  # fmt: skip

    caption = "Posts"
    default_sort = "person"
    filterset_class = PostFilter
    filename = "arrs-posts"
    empty_message = "No posts match. Choose all posts, or add a post."


@load_pcn
def post_list(request, pcn):
    """The network's staff register: the posts in place today, or all of them."""
    posts = (
        pcn.posts.select_related("staff_member", "role", "employer_practice", "pcn")
        .with_terms()
        .with_terms_on(
            today(),
            band_now="afc_band",
            hours_now="weekly_hours",
            salary_now="annual_salary",
            funded_now="arrs_funded",
        )
    )
    if not request.GET.get("show"):
        posts = posts.current(today())  # in post today unless the user asks for all
    for_table = PostTable(request, posts.annotate(can_edit=Value(request.can_edit)))
    if download := for_table.download():
        return download
    return render_network(
        request, pcn, "workforce/post_list.html", {"table": for_table}, section="register"
    )


def _changes(cleaned):
    """The post's and its holder's fields on the form."""
    return changes_from(cleaned, (*actions.PERSON_FIELDS, *actions.POST_FIELDS))


def _saved(request, pcn, form, post, verb):
    success_message(request, form, f"{verb} {post.role} post of {post.staff_member.full_name}.")
    for warning in _warnings(post):
        messages.warning(request, warning)
    return redirect("workforce:post_list", pcn.code)


def _warnings(post):
    """The rules' warnings the save gave; for a post saved by an earlier copy of the form
    (a double click: only this answer is seen), worked out again."""
    if hasattr(post, "warnings"):
        return post.warnings
    with contextlib.suppress(ValidationError):
        return rules.check_post(post)
    return []


def priced_terms(request):
    """The terms a what-if priced (workforce.views.whatif: its link to add the post), to
    start the form from; nothing for a form sent."""
    if request.method != "GET":
        return None
    return {name: request.GET[name] for name in whatif.TERMS if request.GET.get(name)}


@load_rw_pcn
def post_add(request, pcn):
    form = PostForm(posted(request), pcn=pcn, initial=priced_terms(request))
    if request.method == "POST":
        post = save_form(
            form, lambda data: actions.add_post(pcn=pcn, by=request.user, **_changes(data))
        )
        if post is not None:
            return _saved(request, pcn, form, post, "Added the")
    return render_network(
        request, pcn, "workforce/post_add.html", {"form": form}, section="register"
    )


def _post_of(pcn, post_id):
    return get_object_or_404(
        pcn.posts.select_related("staff_member", "role").with_terms(), pk=post_id
    )


def _edited(form, data):
    """The post's and holder's fields, and of its terms only those the user changed."""
    changes = {k: v for k, v in _changes(data).items() if k not in TERM_FIELDS}
    return {**changes, **form.changed_terms()}


@load_rw_pcn
def post_edit(request, pcn, post_id):
    post = _post_of(pcn, post_id)
    form = PostForm(posted(request), instance=post, pcn=pcn)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: actions.change_post(
                post=post,
                by=request.user,
                changes=_edited(form, data),
                terms_from=data.get("terms_from"),
            ),
        )
        if saved is not None:
            return _saved(request, pcn, form, saved, "Saved the")
    context = {"post": post, "form": form, "periods": terms_periods(post)}
    return render_network(request, pcn, "workforce/post_edit.html", context, section="register")


def terms_periods(post):
    """The post's terms, period by period, for its page: from each first day to the day
    before the next change (or its last day)."""
    return calculations.terms_pieces(post, post.start_date, post.end_date)


@load_rw_pcn
def post_end(request, pcn, post_id):
    post = _post_of(pcn, post_id)
    form = EndPostForm(posted(request), instance=post)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: actions.end_post(post=post, by=request.user, end_date=data["end_date"]),
        )
        if saved is not None:
            messages.success(
                request,
                f"Ended the {saved.role} post of {saved.staff_member.full_name}: their last "
                f"day is {saved.end_date.day} {saved.end_date:%B %Y}.",
            )
            for warning in saved.warnings:
                messages.warning(request, warning)
            return redirect("workforce:post_list", pcn.code)
    return render_network(
        request, pcn, "workforce/post_end.html", {"post": post, "form": form}, section="register"
    )
