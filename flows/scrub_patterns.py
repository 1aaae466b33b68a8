"""Structured personal data found by shape: e-mails, phones, IBANs, card and social-security
numbers, identifiers, street addresses, dates of birth, handles, URLs and IP addresses.

Rule: every pattern is linear (no nested unbounded repetition), so a 10,000-character message
costs a few milliseconds; a pattern that is in doubt takes the data out, because a stray number
in a report costs a word while a leaked phone number costs a person's safety. Helpline short
numbers (17, 115, 3919, 116 006…) and ordinary amounts and dates are never taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

Span = tuple[int, int, str]

HELPLINES = frozenset(
    {
        "15",
        "17",
        "18",
        "112",
        "114",
        "115",
        "119",
        "3919",
        "3928",
        "116006",
        "116111",
        "3020",
        "3114",
        "3018",
        "0800059595",
    }
)

_I = re.IGNORECASE
_DIG = r"(?<![\w@])"
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]]"
    r"|(?<![\w.-])[\w-]{1,63}(?:\.[\w-]{1,63}){0,6}"
    r"\.(?:fr|com|org|net|io|be|ch|ma|dz|tn|sn|eu|info|me|ly|gl|co|app|pt|es|uk|de|tv|gouv\.fr)"
    r"(?:/[^\s<>\"]*[^\s<>\".,;:!?)\]])?(?![\w@])",
    _I,
)
_AT = r"(?:\s*[\[({<]\s*(?:at|arobase|@)\s*[\])}>]\s*|\s+(?:at|arobase)\s+)"
_DOT = r"(?:\.|\s*[\[({<]\s*(?:dot|point)\s*[\])}>]\s*|\s+(?:dot|point)\s+)"
EMAIL_HIDDEN = re.compile(
    r"(?<![\w.+-])[\w+-]{1,64}(?:"
    + _DOT
    + r"[\w+-]{1,64}){0,3}"
    + _AT
    + r"[\w-]{1,63}(?:"
    + _DOT
    + r"[\w-]{1,63}){0,2}"
    + _DOT
    + r"(?:fr|com|net|org|be|ch|ma|dz|tn|sn|eu|io|pt|es|uk|de)\b",
    _I,
)
"""Addresses people hide from robots: "jean [at] gmail.com", "karim dot b at gmail dot com"."""
HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,30}[A-Za-z0-9_])?")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,4})?\b", _I)
CARD = re.compile(_DIG + r"\d(?:[ -]?\d){12,18}(?!\w)")
NIR = re.compile(
    r"(?<![\w@+])[1278][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?(?:\d{2}|2[AB])[ .]?\d{3}"
    r"[ .]?\d{3}(?:[ .]?\d{2})?(?!\w)",
    _I,
)
IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)"
    r"(?!\w)(?!\.\d)"
)
IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{1,4}(?![\w:])", _I)
PHONE = re.compile(
    _DIG + r"(?:(?:\+|00)[ .]?\d{1,3}[ .]?(?:\(0\)[ .]?)?\d(?:[ .\-/]?\d){5,12}"
    r"|0[1-9](?:[ .\-/]?\d){8})(?!\w)"
)
PHONE_WINDOW = re.compile(r"[+(]?\d[\d \t().\-/]{6,22}\d")
_MATCHER_WINDOWS = 20
_ID_CUE = (
    r"(?:passeport|passport|carte\s+d['’]\s?identit[ée]|cni|titre\s+de\s+s[ée]jour|r[ée]c[ée]piss[ée]"
    r"|num[ée]ro|numero|num|n°|nº|no\.?|nr|number|dossier|r[ée]f[ée]rence|r[ée]f|matricule"
    r"|identifiant|allocataire|agdref|plainte|case|file|id|badge|contrat|s[ée]cu|permis|immat\w*"
    r"|plaque|client|adh[ée]rent|fiscal)"
)
ID_AFTER_CUE = re.compile(
    r"\b"
    + _ID_CUE
    + r"\b(?:\s*(?:(?:de|du|d['’]|no|number|est|is|la|le|mon|ma|my)\b|n°|nº|:|#)){0,3}"
    r"\s*[:#]?\s*(?P<v>(?=[A-Z]{0,4}\d)[A-Z0-9]+(?:[/\-. ]?[A-Z0-9]*\d[A-Z0-9]*){0,6})",
    _I,
)
PLATE = re.compile(r"\b[A-HJ-NP-TV-Z]{2}[- ]?\d{3}[- ]?[A-HJ-NP-TV-Z]{2}\b")
DIGIT_RUN = re.compile(_DIG + r"\d(?:[ .\-]?\d){8,}(?!\w)")
LONG_CODE = re.compile(r"\b(?=[A-Z0-9]*\d[A-Z0-9]*\d)(?=[A-Z0-9]{7,})[A-Z0-9]+\b", _I)
_STREET = (
    r"(?:rue|r\.|avenue|av\.?|ave|boulevard|bd|bld|blvd|place|pl\.|all[ée]e|impasse|imp\.?"
    r"|chemin|route|rte|quai|cours|square|sq|passage|r[ée]sidence|r[ée]s\.?|cit[ée]|lotissement"
    r"|hameau|rond-point|voie|sentier|esplanade|promenade|parvis|mail|faubourg|fbg|street|st\.?"
    r"|road|rd\.?|lane|drive|way|avenida|calle|via)"
)
_NAMEWORD = r"[^\W\d_][\w'’\-]*"
_LINK = r"(?:(?:de|du|des|la|le|les|au|aux|of|the|saint|ste?)\b|l['’]|d['’])"
"""Small words inside a street name; whole words only, so "des" is never "de" + "s"."""
ADDRESS = re.compile(
    r"(?:\b(?:apt|appt|appartement|app|b[âa]t(?:iment)?|[ée]tage|escalier|esc|porte|logement"
    r"|chambre|bo[iî]te)\.?\s*(?:n°|no)?\s*(?:\d{1,4}[A-Z]?|[A-Z])\s*,?\s*)?"
    r"\b\d{1,4}\s?(?:bis|ter|quater|[a-d])?\b,?\s*" + _STREET + r"\s+"
    r"(?:" + _LINK + r"\s*){0,3}" + _NAMEWORD + r"(?:\s+(?:" + _LINK + r"\s*){0,2}"
    r"(?-i:[A-ZÀ-Ý])[\w'’\-]*){0,3}"
    r"(?:\s*,?\s*\d{5}\b)?",
    _I,
)
NAMED_PLACE = re.compile(
    r"\b(?:r[ée]sidence|r[ée]s\.|lotissement|lieu[- ]dit|hameau|domaine|cit[ée]|villa|ferme)"
    r"\s+(?:(?:le|la|les|l['’]|du|des|de|d['’])\s*){0,2}"
    r"(?-i:[A-ZÀ-Ý])[\w'’\-]*(?:\s+(?:(?:de|du|des|la|le|les|l['’]|d['’])\s*){0,2}"
    r"(?-i:[A-ZÀ-Ý])[\w'’\-]*){0,3}",
    _I,
)
"""A dwelling named without a street number: "résidence les Lilas", "lieu-dit la Bernardière"."""
FLAT = re.compile(
    r"\b(?:(?:apt|appt|appartement|b[âa]timent|b[âa]t)\b\.?\s*(?:n°|no)?\s*(?:\d{1,4}[A-Z]?|[A-Z])"
    r"|(?:porte|escalier|esc)\b\.?\s*(?:n°|no)?\s*\d{1,4})\b",
    _I,
)
_TOWN = (
    r"(?:\s+(?!(?:c|qu|j|n|m|s|l|d)['’])[^\W\d_][\w'’\-]*"
    r"(?:\s+(?:(?:sur|sous|en|lès|lez|de|du|des|la|le|les)\s+)?(?-i:[A-ZÀ-Ý])[\w'’\-]*){0,2})"
)
"""The town after a postal code ("44800 Saint-Herblain", "44240 La Chapelle-sur-Erdre"): part
of a postal address, so it goes with it (the conversation asks for the commune separately)."""
POSTCODE = re.compile(
    r"(?<![\w,.])(?:F-)?(?:[0-8]\d|9[0-8])\s?\d{3}(?=\s+(?-i:[A-ZÀ-Ý])[\w'’\-]+)"
    + _TOWN
    + r"|\b(?:code\s+postal|cp)\s*:?\s*\d{5}\b"
    + _TOWN
    + "?",
    _I,
)
TRAILING_POSTCODE = re.compile(r"[\s,;\-–]{0,4}(?:F-)?(?:[0-8]\d|9[0-8])\s?\d{3}\b" + _TOWN + "?")
"""A postal code right after an address ("9 rue X appt 3 - 44000 Nantes") goes with it."""
UK_ADDRESS = re.compile(
    r"(?:\b(?:flat|apartment|apt)\s+\d{1,4}[A-Za-z]?\s*,?\s*)?"
    r"\b\d{1,4}[A-Za-z]?\s+(?:(?-i:[A-Z])[\w'’\-]*\s+){1,3}"
    r"(?:road|street|avenue|lane|drive|close|way|crescent|terrace|gardens|grove|court|rd|ave)\b"
    r"(?:\s*,?\s*(?-i:[A-Z])[\w'’\-]+)?"
    r"(?:\s*,?\s*(?-i:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}))?",
    _I,
)
"""An English address: number, name, street type, town, postcode ("27 Carlton Road, Nottingham
NG3 2FX"), with a flat before it."""
UK_POSTCODE = re.compile(r"(?-i:\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b)")
_MONTHS = (
    r"(?:janv(?:ier)?|f[ée]v(?:rier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|sept(?:embre)?"
    r"|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?|january|february|march|april|may|june|july"
    r"|august|september|october|november|december)"
)
_DATE = r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}(?:er)?\s+" + _MONTHS + r"\s+\d{4})"
DATE_OF_BIRTH = re.compile(
    r"\b(?:n[ée]e?s?|born|date\s+de\s+naissance|ddn|dob|naissance|birthday|anniversaire)"
    r"\s*(?:le|on|:|en)?\s*(?P<v>" + _DATE + r")",
    _I,
)


def _luhn(digits: str) -> bool:
    """Payment cards carry a Luhn check digit; it keeps long case numbers out of [CARD]."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _phones(text: str) -> Iterator[Span]:
    """Phone numbers: our French and international shapes, then libphonenumber (region FR) on
    the other digit groups. The matcher is slow on long runs of digits, so it only sees short
    windows, at most `_MATCHER_WINDOWS` of them; longer runs are still caught as [ID]."""
    taken: list[tuple[int, int]] = []
    for m in PHONE.finditer(text):
        if _digits(m.group()) not in HELPLINES:
            taken.append((m.start(), m.end()))
            yield m.start(), m.end(), "PHONE"
    windows = [m for m in PHONE_WINDOW.finditer(text) if len(_digits(m.group())) >= 8]
    for window in windows[:_MATCHER_WINDOWS]:
        if any(s <= window.start() < e for s, e in taken):
            continue
        for match in phonenumbers.PhoneNumberMatcher(
            window.group(), "FR", phonenumbers.Leniency.POSSIBLE
        ):
            digits = _digits(match.raw_string)
            if len(digits) >= 8 and digits not in HELPLINES:
                yield window.start() + match.start, window.start() + match.end, "PHONE"


def _cards(text: str) -> Iterator[Span]:
    for m in CARD.finditer(text):
        if _luhn(_digits(m.group())) and len(set(_digits(m.group()))) > 1:
            yield m.start(), m.end(), "CARD"


def _ids(text: str) -> Iterator[Span]:
    """Identifiers after a cue word, licence plates, and long codes mixing letters and digits."""
    for m in ID_AFTER_CUE.finditer(text):
        value = m.group("v").rstrip(" .-/")
        if sum(c.isdigit() for c in value) >= 3 and _digits(value) not in HELPLINES:
            yield m.start("v"), m.start("v") + len(value), "ID"
    for m in PLATE.finditer(text):
        yield m.start(), m.end(), "ID"
    for m in DIGIT_RUN.finditer(text):
        if _digits(m.group()) not in HELPLINES:
            yield m.start(), m.end(), "ID"
    for m in LONG_CODE.finditer(text):
        yield m.start(), m.end(), "ID"


def structured_spans(text: str) -> list[Span]:
    """Every structured item in `text` as (start, end, kind); overlaps are resolved by the caller,
    earlier kinds in this list winning ties."""
    spans: list[Span] = [(m.start(), m.end(), "EMAIL") for m in EMAIL.finditer(text)]
    spans += [(m.start(), m.end(), "URL") for m in URL.finditer(text)]
    spans += [(m.start(), m.end(), "EMAIL") for m in EMAIL_HIDDEN.finditer(text)]
    spans += [(m.start(), m.end(), "HANDLE") for m in HANDLE.finditer(text)]
    spans += [(m.start(), m.end(), "IBAN") for m in IBAN.finditer(text) if _digits(m.group())[2:]]
    spans += [(m.start(), m.end(), "NIR") for m in NIR.finditer(text)]
    spans += _cards(text)
    spans += [(m.start(), m.end(), "IP") for m in IPV4.finditer(text)]
    spans += [
        (m.start(), m.end(), "IP")
        for m in IPV6.finditer(text)
        if any(c.isalpha() for c in m.group()) or "::" in m.group() or m.group().count(":") >= 4
    ]
    spans += [(m.start("v"), m.end("v"), "DATE_OF_BIRTH") for m in DATE_OF_BIRTH.finditer(text)]
    spans += _phones(text)
    places = [
        (m.start(), m.end())
        for rx in (ADDRESS, NAMED_PLACE, FLAT, UK_ADDRESS)
        for m in rx.finditer(text)
    ]
    spans += [(start, end, "ADDRESS") for start, end in places]
    for _, end in places:
        if m := TRAILING_POSTCODE.match(text, end):
            spans.append((end, m.end(), "ADDRESS"))
    spans += [(m.start(), m.end(), "ADDRESS") for m in POSTCODE.finditer(text)]
    spans += [(m.start(), m.end(), "ADDRESS") for m in UK_POSTCODE.finditer(text)]
    spans += _ids(text)
    return spans
