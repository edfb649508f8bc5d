"""Addresses that cannot name anything: a control character (a NUL byte, say) in the path
or in a query value is refused at the door with 400, before any view passes it to the
database, which would refuse it with an error of its own. The JSON API answers in JSON."""

import re

from django.http import JsonResponse
from django.shortcuts import render

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MESSAGE = "The address has a character no page, code or search can contain."


def has_control_characters(request):
    if CONTROL.search(request.path):
        return True
    return any(
        CONTROL.search(key) or any(CONTROL.search(value) for value in values)
        for key, values in request.GET.lists()
    )


def bad_request(request, message=MESSAGE):
    """400 in the form the address asks for: JSON under /api/, the site's page elsewhere.
    Never cached by a shared cache."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": message}, status=400)
    else:
        response = render(request, "400.html", {"message": message}, status=400)
    response["Cache-Control"] = "no-store"
    return response


class RefuseControlCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request):
            return bad_request(request)
        return self.get_response(request)
