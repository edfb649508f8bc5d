"""Commissioner's notes on a network, /areas/<code>/networks/<network code>/notes/: the
dated notes and follow-up actions the area's staff keep on one of its networks, a form to
add one, and a button to mark a follow-up done.

The page is the area's, not the network's: it enters through the area the user may see
(404 outside it) and the network through the area's networks (404 when it is not one of
them); only commissioner staff of an area over the network, and national staff, pass
(networks.scopes.can_keep_notes), so a network's managers and the public never reach
the notes. Every write goes through networks.actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from networks import actions
from networks.forms import CommissionerNoteForm
from networks.models import CommissionerNote
from networks.scopes import check_can_keep_notes
from pcn_portal.areas import figures
from pcn_portal.areas.views import breadcrumbs, load_area_or_england
from pcn_portal.core.forms import posted, save_form, success_message
from pcn_portal.core.versions import event_model, person


def area_network(request, area, code):
    """The area's network with this code that the user may see and keep notes on: 404
    outside the area, 403 for someone who may see it but not keep notes on it."""
    network = (
        figures.networks_in(request.user, area)
        .select_related("lead_commissioner__icb__region")
        .filter(code=code)
        .first()
    )
    if network is None:
        raise Http404("No such network in this area.")
    check_can_keep_notes(request.user, network)
    return network


def done_by(notes):
    """{note id: (who, when)} of the notes whose follow-up is done: the change in the
    audit history that marked it so. One query, whatever the number of notes."""
    ids = [note.pk for note in notes if note.done]
    if not ids:
        return {}
    events = (
        event_model(CommissionerNote)
        .objects.filter(pgh_obj_id__in=ids, done=True)
        .select_related("pgh_context")
        .order_by("pgh_obj_id", "pgh_id")
    )
    found = {}
    for event in events:
        if event.pgh_obj_id not in found:
            context = event.pgh_context.metadata if event.pgh_context else {}
            found[event.pgh_obj_id] = (person(context), event.pgh_created_at)
    return found


def notes_url(area, pcn):
    return reverse("areas:network_notes", args=[area.code, pcn.code])


@load_area_or_england
def network_notes(request, area, network):
    pcn = area_network(request, area, network)
    if request.method == "POST" and "done" in request.POST:
        return mark_done(request, area, pcn)
    form = CommissionerNoteForm(posted(request))
    if request.method == "POST":
        note = save_form(
            form,
            lambda data: actions.add_commissioner_note(pcn=pcn, by=request.user, **note_data(data)),
        )
        if note is not None:
            success_message(request, form, f"Added the note of {note.written_on:%-d %B %Y}")
            return redirect(f"{notes_url(area, pcn)}#note-{note.pk}")
    notes = list(pcn.commissioner_notes.select_related("written_by"))
    marked = done_by(notes)
    for note in notes:
        note.marked = marked.get(note.pk)
    crumbs = breadcrumbs(request, area, current=True)
    crumbs.append(
        {
            "text": pcn.display_name,
            "href": reverse("workspace:network_detail", args=[pcn.code]),
        }
    )
    context = {
        "area": area,
        "pcn": pcn,
        "notes": notes,
        "form": form,
        "breadcrumbs": crumbs,
        "exceptions_url": reverse("areas:exceptions", args=[area.code]),
    }
    return render(request, "areas/network_notes.html", context)


def note_data(cleaned):
    """The form's values as the action's keywords (its one-time token left out)."""
    return {name: cleaned[name] for name in actions.COMMISSIONER_NOTE_FIELDS}


def mark_done(request, area, pcn):
    """Mark a note's follow-up done (the note is looked up among the network's own)."""
    try:
        pk = int(request.POST["done"])
    except ValueError as error:
        raise Http404("No such note.") from error
    note = get_object_or_404(pcn.commissioner_notes, pk=pk)
    if note.done:
        messages.success(request, f"The follow-up was already done: {note.follow_up}")
    else:
        try:
            actions.mark_follow_up_done(note=note, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Marked the follow-up done: {note.follow_up}")
    return redirect(f"{notes_url(area, pcn)}#note-{note.pk}")
