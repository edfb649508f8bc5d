"""Password rules beyond Django's own validators."""

import re
from difflib import SequenceMatcher

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


def _letters(text):
    return re.sub(r"[\W_]+", "", text.lower())


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's check against each of the user's attributes, and also against their whole
    name: "Victor Viewer" is close to neither "Victor" nor "Viewer" alone, so Django lets it
    through as Victor Viewer's password."""

    def validate(self, password, user=None):
        super().validate(password, user)
        first = getattr(user, "first_name", "") or ""
        last = getattr(user, "last_name", "") or ""
        if not (first and last):
            return
        typed = _letters(password)
        for name in (first + last, last + first):
            name = _letters(name)
            if name and SequenceMatcher(a=typed, b=name).quick_ratio() >= self.max_similarity:
                raise ValidationError(
                    "The password is too similar to your name.", code="password_too_similar"
                )
