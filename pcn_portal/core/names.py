"""Showing ODS names, which ODS publishes in capitals, the way people write them."""

import re

# Kept in capitals: abbreviations found in ODS organisation names.
ABBREVIATIONS = {
    "PCN", "PCNS", "NHS", "ICB", "ICS", "CCG", "STP", "GP", "GPS", "UK", "CIC", "LLP",
    "PLC", "II", "III", "IV", "PMS", "APMS", "GMS", "UTC", "OOH",
}  # fmt: skip
# Lower case inside a name: "North East and Yorkshire", "Stockton-on-Tees".
SMALL_WORDS = {"and", "of", "the", "on", "in", "upon", "at", "by", "with", "for", "under"}
WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def ods_title(name):
    """'STOCKTON-ON-TEES PCN' -> 'Stockton-on-Tees PCN'; names not all in capitals are
    left as they are."""
    if not name or not name.isupper():
        return name

    def word(match):
        text = match.group(0)
        if text.upper() in ABBREVIATIONS:
            return text.upper()
        if match.start() > 0 and text.lower() in SMALL_WORDS:
            return text.lower()
        return text[0].upper() + text[1:].lower()

    return WORD.sub(word, name)


def sql_ods_title(expression):
    """ods_title as a PostgreSQL expression over a text `expression`, for messages the
    database writes itself (a trigger's refusal): initcap, then the abbreviations in
    capitals, the small words inside a name in lower case, and "'S" back to "'s"."""
    sql = f"initcap({expression})"
    for abbreviation in sorted(ABBREVIATIONS):
        sql = rf"regexp_replace({sql}, '\m{abbreviation.title()}\M', '{abbreviation}', 'g')"
    for small in sorted(SMALL_WORDS):
        sql = rf"regexp_replace({sql}, '(.)\m{small.title()}\M', '\1{small}', 'g')"
    return rf"regexp_replace({sql}, '''S\M', '''s', 'g')"


def person_name(user):
    """A user as people read them: their name; their e-mail address when the account has
    no name; the username only when it has neither."""
    return user.get_full_name().strip() or user.email or user.get_username()
