"""The audit history as people read it: who changed what, when, through which process.

django-pghistory records every insert, update and delete of a domain row through database
triggers, with the context of the request or process that made it. This module names that
context for readers (the user's name beside their id) and lays out the admin's list of
all changes in plain words.
"""

from functools import reduce
from operator import or_
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from pghistory.admin import EventsAdmin
from pghistory.admin.core import (
    EventModelFilter,
    EventsChangeList,
    LabelFilter,
    MethodFilter,
    ModelFilter,
    ObjFilter,
)
from pghistory.admin.core import _filter_event_models as events_in_scope
from pghistory.admin.core import _get_model as get_model
from pghistory.middleware import HistoryMiddleware as BaseHistoryMiddleware

from pcn_portal.core.names import person_name
from pcn_portal.core.versions import actor

ACTIONS = {"insert": "Created", "update": "Changed", "delete": "Deleted"}
SHOWN_CHANGES = 6


class HistoryMiddleware(BaseHistoryMiddleware):
    """pghistory's request context, with the user's name and username kept beside the user
    id so the history still reads correctly if the account is later renamed or removed."""

    def get_context(self, request):
        context = super().get_context(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context["username"] = user.get_username()
            context["name"] = person_name(user)
        return context


def tracked_model(label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _value(value):
    return "blank" if value in (None, "") else repr(value)


class ActionFilter(LabelFilter):
    title = "change"

    def lookups(self, request, model_admin):
        return [
            (label, ACTIONS.get(label, label)) for label, _ in super().lookups(request, model_admin)
        ]


class RecordKindFilter(EventModelFilter):
    title = "kind of record"

    def lookups(self, request, model_admin):
        def tracked(label):
            event_model = apps.get_model(label)
            return getattr(event_model, "pgh_tracked_model", None) or event_model

        kinds = [
            (label, capfirst(tracked(label)._meta.verbose_name_plural))
            for label, _ in super().lookups(request, model_admin)
        ]
        return sorted(kinds, key=lambda kind: kind[1])

    def queryset(self, request, queryset):
        if self.value() and get_model(self.value()) is None:
            # A bookmarked or mistyped filter: admin's "invalid filter" page, not a 500.
            raise IncorrectLookupParameters(f"Unknown kind of record: {self.value()}")
        return super().queryset(request, queryset)


# Changes counted exactly; a longer history is "more than 10,000 changes" (100 pages).
COUNTED = 10_000


def _keys_sql(event_models, label, limit, descending):
    """SQL for each kind of record's first `limit` events in the list's order (time, then
    event id, then the list's own tiebreak), from the event tables' (time, id) indexes."""
    direction = "DESC" if descending else "ASC"
    selects, params = [], []
    for model in event_models:
        where = "WHERE pgh_label = %s" if label else ""
        selects.append(
            f"(SELECT %s AS model, pgh_created_at, pgh_id FROM {model._meta.db_table} {where} "
            f"ORDER BY pgh_created_at {direction}, pgh_id {direction} LIMIT %s)"
        )
        params += [model._meta.label, *([label] if label else []), limit]
    return " UNION ALL ".join(selects), params, direction


def page_keys(event_models, label, offset, limit, descending=True):
    """The (event model label, event id) of the events on one page of the list.

    The list itself reads every event table through one UNION, working out each event's
    changes from the one before it: over millions of events that takes seconds a page.
    Any event on the page is among its own table's first offset + limit events, so this
    reads that many keys from each table's index (never a diff) and keeps the page's;
    the list then works out changes for those rows only. Events of one import share one
    time, so the event id (then the list's tiebreak, "model:id") orders them.
    """
    if not event_models:
        return []
    union, params, direction = _keys_sql(event_models, label, offset + limit, descending)
    sql = (
        f"SELECT model, pgh_id FROM ({union}) keys ORDER BY pgh_created_at {direction}, "
        f"pgh_id {direction}, CONCAT(model, ':', pgh_id) {direction} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return cursor.fetchall()


def capped_count(event_models, label, cap=COUNTED):
    """How many events the list holds, counted up to `cap` + 1 (so a longer history is
    known to be longer, without counting millions of rows on every page)."""
    if not event_models:
        return 0
    union, params, _ = _keys_sql(event_models, label, cap + 1, True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({union}) keys LIMIT %s) n", [*params, cap + 1]
        )
        return cursor.fetchone()[0]


class AuditPaginator(Paginator):
    """Pages of all changes: counted up to COUNTED, and each page read by its keys
    (page_keys) rather than by an OFFSET over the whole history."""

    def __init__(self, object_list, per_page, *, event_models, label, descending, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.event_models, self.label, self.descending = event_models, label, descending

    @cached_property
    def count(self):
        return capped_count(self.event_models, self.label)

    @property
    def capped(self):
        return self.count > COUNTED

    def page(self, number):
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        keys = page_keys(self.event_models, self.label, offset, self.per_page, self.descending)
        ids = {}
        for model, pk in keys:
            ids.setdefault(model, []).append(pk)
        if not ids:
            return self._get_page(self.object_list.none(), number, self)
        # Each kind of record's selected events (pgh_model is its event model's label).
        rows = self.object_list.filter(
            reduce(or_, (Q(pgh_model=model, pgh_id__in=pks) for model, pks in ids.items()))
        )
        return self._get_page(list(rows), number, self)


class AuditChangeList(EventsChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request)
        if exclude_parameters is not None or "obj" in request.GET:
            return queryset  # one record's history: its index keeps it quick
        event_model = get_model(request.GET.get(RecordKindFilter.parameter_name))
        ordering = queryset.query.order_by or ("-pgh_created_at",)
        request.audit_pages = {
            "event_models": [event_model] if event_model else events_in_scope(request),
            "label": request.GET.get(ActionFilter.parameter_name) or None,
            "descending": ordering[0].startswith("-"),
        }
        return queryset


SCOPES = {"tracks": "This record's", "references": "With records that refer to it"}


class ScopeFilter(MethodFilter):
    title = "which changes"

    def lookups(self, request, model_admin):
        return list(SCOPES.items())


class HiddenRecordFilter(ObjFilter):
    """The record whose history this is: named in the page's subtitle instead."""

    template = "pghistory_admin/hidden_filter.html"


class HiddenModelFilter(ModelFilter):
    template = "pghistory_admin/hidden_filter.html"


def local_path(url):
    """`url` when it is a path on this site, else None: never a link to another site."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    parts = urlsplit(url)
    return url if not parts.scheme and not parts.netloc else None


class AuditEventsAdmin(EventsAdmin):
    """Every change to every domain row, newest first."""

    list_per_page = 100
    # Changes made in one transaction share a time; within one kind of record the event id
    # gives their order (admin's own tiebreak, the text "model:id", puts id 10 before 9).
    ordering = ["-pgh_created_at", "-pgh_id"]
    list_max_show_all = 100  # "Show all" only when everything fits on one page anyway
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return AuditChangeList

    def visible_model(self, request, label):
        """The model `label` names, when this user may see its records in admin."""
        model = get_model(label)
        model_admin = self.admin_site._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            raise Http404("No such kind of record.")
        return model

    def named_record(self, request, value):
        """The record `obj=<app.model>:<id>` names: 404 for a malformed id, or for a kind
        of record the user may not see in admin (its name alone can be personal data)."""
        label, colon, pk = value.partition(":")
        if not colon:
            raise Http404("No such record.")
        model = self.visible_model(request, label)
        try:
            pk = model._meta.pk.to_python(pk)
        except ValidationError:
            raise Http404("No such record.") from None
        if pk is None:
            raise Http404("No such record.")
        return model(pk=pk)

    def changelist_view(self, request, extra_context=None):
        """pghistory's page, titled for readers, and still answering for a record that has
        since been deleted (its history is exactly what an auditor wants then)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {"title": "All changes", **(extra_context or {})}
        query = request.GET
        obj = self.named_record(request, query["obj"]) if "obj" in query else None
        model = self.visible_model(request, query["model"]) if "model" in query else None
        if obj is not None and request.GET.get("method") not in SCOPES:
            # Without a known scope pghistory lists every change under the record's name.
            query = query.copy()
            query["method"] = "tracks"
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        if obj is not None:
            context["title"] = "History"
            try:
                obj.refresh_from_db()
                context["subtitle"] = str(obj)
            except ObjectDoesNotExist:
                context["subtitle"] = f"{capfirst(obj._meta.verbose_name)} {obj.pk} (deleted)"
        elif model is not None:
            context["subtitle"] = capfirst(model._meta.verbose_name_plural)
        back = local_path(request.GET.get("back"))
        if back:
            context["pgh_back"] = back
        # Skips pghistory's own changelist_view, which fails on a deleted record.
        return admin.ModelAdmin.changelist_view(self, request, context)

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        pages = getattr(request, "audit_pages", None)
        if pages is None:  # one record's history, or no list at all
            return Paginator(queryset, per_page, orphans, allow_empty_first_page)
        return AuditPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            **pages,
        )

    def get_list_filter(self, request):
        replace = {
            LabelFilter: ActionFilter,
            EventModelFilter: RecordKindFilter,
            MethodFilter: ScopeFilter,
            ObjFilter: HiddenRecordFilter,
            ModelFilter: HiddenModelFilter,
        }
        return [replace.get(f, f) for f in super().get_list_filter(request)]

    def get_list_display(self, request):
        return ["when", "record", "action", "changes", "by"]

    @admin.display(description="When", ordering="pgh_created_at")
    def when(self, event):
        return event.pgh_created_at

    @admin.display(description="Record")
    def record(self, event):
        model = tracked_model(event.pgh_obj_model)
        kind = capfirst(model._meta.verbose_name) if model else event.pgh_obj_model
        data = event.pgh_data or {}
        label = data.get("code") or data.get("name") or data.get("full_name")
        return " ".join(filter(None, [kind, label, f"(id {event.pgh_obj_id})"]))

    @admin.display(description="Change")
    def action(self, event):
        return ACTIONS.get(event.pgh_label, event.pgh_label)

    @admin.display(description="What changed")
    def changes(self, event):
        diff = event.pgh_diff or {}
        if event.pgh_label != "update" or not diff:
            return "–"
        model = tracked_model(event.pgh_obj_model)
        names = {f.attname: f.verbose_name for f in model._meta.concrete_fields} if model else {}
        items = list(diff.items())
        rows = format_html_join(
            "",
            "<div>{}: {} → {}</div>",
            (
                (names.get(field, field), _value(old), _value(new))
                for field, (old, new) in items[:SHOWN_CHANGES]
            ),
        )
        more = len(items) - SHOWN_CHANGES
        return format_html("{}{}", rows, f"and {more} more" if more > 0 else "")

    @admin.display(description="By")
    def by(self, event):
        return actor(event.pgh_context)
