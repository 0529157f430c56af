"""The words hours text is made of: day names (English, and from CLDR through Babel the languages
OSM mappers and European sites write), day groups, range words, closed words, and the words that
make a weekly table wrong to guess (seasons, months, 'every other', 'by appointment').
"""

from __future__ import annotations

import unicodedata
from typing import Any, NamedTuple

from babel.dates import get_day_names

EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Languages whose day names OSM mappers and sites abroad write ('Montags', 'lundi', 'sábado').
_LANGUAGES = ("de", "fr", "es", "it", "nl", "pt")


class Token(NamedTuple):
    # day, weakday, days, time, closed, lunch, allday, dash, weakdash, comma, and, filler,
    # sep, break, doubt
    kind: str
    value: Any = None


def plain(word: str) -> str:
    """Lower case without accents: 'Miércoles' -> 'miercoles', 'Sáb' -> 'sab'."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _english() -> dict[str, Token]:
    table: dict[str, Token] = {}
    spellings = ("m mo mon", "tu tue tues", "we wed weds", "th thu thur thurs", "f fr fri")
    spellings += ("sa sat", "su sun")
    for day, names in enumerate(spellings):
        for name in (*names.split(), FULL_NAMES[day], FULL_NAMES[day] + "s"):
            table[name] = Token("day", day)
    # US schedules shorten Tuesday to T, Wednesday to W and Thursday to R ('M W F', 'T-R');
    # alone, those letters are too often something else, so they count only beside another
    # day or a time. 'S' (Saturday or Sunday?) never does.
    table.update({"t": Token("weakday", 1), "w": Token("weakday", 2), "r": Token("weakday", 3)})
    return table


def _foreign() -> dict[str, Token]:
    """Full names count as days; abbreviations ('Di', 'jeu', 'sáb') only beside another day or a
    time, like the single letters. An abbreviation two languages read as different days, or
    that is a month ('mar'), is left out."""
    full: dict[str, int] = {}
    short: dict[str, set[int]] = {}
    for language in _LANGUAGES:
        for day, name in get_day_names("wide", locale=language).items():
            word = plain(name).split("-")[0]  # 'segunda-feira' is written 'segunda' too
            full[word] = full[word + "s"] = day  # 'montags', 'lundis', 'sabados'
        for day, name in get_day_names("abbreviated", locale=language).items():
            short.setdefault(plain(name).rstrip("."), set()).add(day)
    table = {word: Token("day", day) for word, day in full.items()}
    for word, days in short.items():
        if len(days) == 1 and word not in MONTHS and word not in table:
            table[word] = Token("weakday", next(iter(days)))
    return table


MONTHS = frozenset(
    "january february march april june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)  # 'may' is left out: 'hours may vary' is not a season


def word_table() -> dict[str, Token]:
    table = _foreign()
    table.update(_english())
    groups = {
        "daily everyday taglich dagelijks": EVERY_DAY,
        "weekday weekdays workday workdays": WEEKDAYS,
        "weekend weekends": frozenset({5, 6}),
        # Holiday rules name no weekday; reading them as no days at all sets them aside.
        "ph sh holiday holidays feiertag feiertage feiertags": frozenset(),
    }
    for names, days in groups.items():
        table.update(dict.fromkeys(names.split(), Token("days", days)))
    closed = "closed off geschlossen ruhetag ferme cerrado chiuso gesloten fechado"
    table.update(dict.fromkeys(closed.split(), Token("closed")))
    dashes = "to through thru till til until bis au al tot"
    table.update(dict.fromkeys(dashes.split(), Token("dash")))
    table["a"] = Token("weakdash")  # 'lunes a viernes', 'de 9:00 a 18:00'; not '7 days a week'
    table.update(dict.fromkeys(("and", "und", "et", "y"), Token("and")))
    # Words inside a schedule that neither end it nor change it ('closed for lunch 12-1',
    # 'between 9 and 5', 'von 9 bis 17 Uhr').
    fillers = "for from between von de du uhr hrs"
    table.update(dict.fromkeys(fillers.split(), Token("filler")))
    table["lunch"] = Token("lunch")
    doubts = "winter summer spring autumn season seasons seasonal appointment appointments appt"
    doubts += " varies vary alternate alternating biweekly except excluding"
    table.update(dict.fromkeys(doubts.split(), Token("doubt")))
    table.update(dict.fromkeys(MONTHS, Token("doubt")))
    table["noon"] = Token("noon")
    table["midnight"] = Token("midnight")
    return table
