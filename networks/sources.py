"""Loading the public documents the reference data cites (networks.Source), and pointing a
reference row at them.

The reference data names its documents by the keys of the team's notebook of NHS facts
("S64", "A.S22"). Those keys never reach a user: migrations read them here and set each
row's `sources` to the Source records they stand for. Called with the historical models of
a migration (or, for a database a test emptied, the current ones).
"""

import re

import pghistory

# A key of the notebook's source list ("S53") or of its ARRS appendix's ("A.S22").
KEY = re.compile(r"(?<![\w.])((?:A\.)?S\d{1,3})\b")


def load_sources(apps, data):
    """Add each document `data.SOURCES` lists; one already there (perhaps corrected by a
    national admin) is kept as it is."""
    Source = apps.get_model("networks", "Source")
    with pghistory.context(process="migrate: national reference data"):
        for key, issuer, title, published, link in data.SOURCES:
            Source.objects.get_or_create(
                key=key,
                defaults={"issuer": issuer, "title": title, "published": published, "link": link},
            )


def keys_in(text):
    """The notebook keys a reference row's source text names, in order, once each."""
    return list(dict.fromkeys(KEY.findall(text or "")))


def records_for(keys, aliases):
    """The Source keys the notebook keys stand for (`aliases`: key → record keys; a key not
    in it stands for the record of the same key)."""
    found = []
    for key in keys:
        found += [record for record in aliases.get(key, [key]) if record not in found]
    return found


def cite(apps, row, text, aliases, section=None):
    """Point `row` at the documents `text` names by key (and give it `section`, when one is
    given). A key no Source record has is left out."""
    Source = apps.get_model("networks", "Source")
    row.sources.set(Source.objects.filter(key__in=records_for(keys_in(text), aliases)))
    if section is not None and row.section != section:
        row.section = section
        row.save(update_fields=["section"])


def has_field(model, name):
    return any(field.name == name for field in model._meta.get_fields())


def sourced(apps, Model, lookup, defaults, source, cite_row):
    """get_or_create with the row's source: the key text itself while the model still has
    the old column (the first migrations), else the Source records it names, through
    `cite_row(apps, row, source)`."""
    keep_text = has_field(Model, "source")
    if keep_text:
        defaults = {**defaults, "source": source}
    row, created = Model.objects.get_or_create(**lookup, defaults=defaults)
    if created and not keep_text:
        cite_row(apps, row, source)
    return row, created
