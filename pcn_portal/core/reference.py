"""Reading reference data entries, whether dicts or objects with attributes."""


def value(entry, key, default=None):
    if isinstance(entry, dict):
        return entry.get(key, default)
    return getattr(entry, key, default)


def notes(entry):
    return value(entry, "notes") or value(entry, "note") or ""
