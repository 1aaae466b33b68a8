"""Read a territory file and a partner directory into typed values, checking every rule on the way.

Rule: reading and validating are one pass over the raw YAML, so a problem can name its file,
entry and field even when no value could be built, and nothing untyped leaves this module.
Each reader returns the values it could build and the complete list of problems; the loader
raises `DataError` when that list is not empty. The sourcing rule of the reference data is
enforced here: a contact field may be filled only when `contact_sources` names where it was read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import phonenumbers
from phonenumbers import shortnumberinfo

from directory.errors import Checker, Problem, kind
from directory.model import Contact, OpeningSlot, Operators, Partner, PhoneLine, Territory

OFFERS = frozenset({
    "ecoute", "information", "orientation", "accompagnement_juridique", "accompagnement_social",
    "accompagnement_psychologique", "mediation", "aide_plainte", "saisine_defenseur",
    "hebergement_urgence", "soins", "sensibilisation", "insertion_emploi", "pair_aidance",
    "domiciliation", "enregistrement_observation",
})
KINDS = frozenset({"association", "institution", "service_public", "collectif"})
SCOPES = frozenset({"ville", "metropole", "departement"})
CONTACT_KEYS = ("phone", "email", "website", "address", "hours_fr")
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_PARTNER_KEYS = frozenset({
    "id", "name", "kind", "description_fr", "all_criteria", "criteria", "domains",
    "situation_types", "offers", "territory", "contact", "contact_sources", "source_dates",
    "verification", "to_verify", "to_verify_fields", "other_contacts_fr", "notes_fr",
    "seed_family", "in_seed_map",
})
_TERRITORY_KEYS = frozenset({
    "id", "name", "timezone", "country", "default_language", "directory", "main_service",
    "communes", "communes_sources", "phone_line", "operators",
})
_OPERATOR_KEYS = frozenset({
    "group", "hours", "language", "reminder_minutes", "sign_with_first_name",
})
_HOURS_KEYS = frozenset({"slots", "closed_dates", "public_holidays"})
_LINE_KEYS = frozenset({
    "name", "number", "sources", "slots", "closed_dates", "public_holidays", "hours_to_verify",
})
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_HOUR = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


@dataclass(frozen=True, slots=True)
class KnownIds:
    """The reference ids a partner may use, taken from the loaded `Knowledge`."""

    criteria: frozenset[str]
    domains: frozenset[str]
    situation_types: frozenset[str]


@dataclass(frozen=True, slots=True)
class TerritoryFile:
    """A territory file read: the settings, plus which directory file holds its partners."""

    territory: Territory
    directory_file: str


def phone_problem(number: str) -> str | None:
    """Why `number` is not a dialable French number (short numbers such as 3928 allowed)."""
    try:
        parsed = phonenumbers.parse(number, "FR")
    except phonenumbers.NumberParseException as error:
        return f"{number!r} cannot be read as a phone number ({error})"
    if phonenumbers.is_valid_number_for_region(parsed, "FR"):
        return None
    if shortnumberinfo.is_valid_short_number_for_region(parsed, "FR"):
        return None
    return f"{number!r} is not a valid French phone number"


def read_ident(check: Checker, doc: Mapping[str, object], entry: str, seen: set[str]) -> str:
    """The entry's `id`, which must be snake_case and unique in its file."""
    value = check.text(doc, "id", entry)
    if value and not _ID.match(value):
        check.add(entry, "id", f"{value!r} is not snake_case")
    elif value in seen:
        check.add(entry, "id", f"duplicate id {value!r}")
    seen.add(value)
    return value


def read_ids(
    check: Checker, doc: Mapping[str, object], key: str, entry: str, allowed: frozenset[str]
) -> tuple[str, ...]:
    """A list of ids that must all exist in `allowed` (criteria, domains, offers…)."""
    values = check.texts(doc, key, entry)
    for value in values:
        if value not in allowed:
            check.add(entry, key, f"unknown id {value!r}")
    return values


def read_choice(
    check: Checker, doc: Mapping[str, object], key: str, entry: str, allowed: frozenset[str]
) -> str:
    value = check.text(doc, key, entry)
    if value and value not in allowed:
        check.add(entry, key, f"{value!r} is not one of: {', '.join(sorted(allowed))}")
    return value


def read_partners(
    doc: object, file: str, known: KnownIds, territory_id: str
) -> tuple[tuple[Partner, ...], list[Problem]]:
    """Every partner of a directory file that could be read, and every problem found."""
    check = Checker(file)
    root = check.mapping(doc, "(file)", "(top level)")
    header = check.mapping(root.get("territory"), "territory", "territory")
    if header and header.get("id") != territory_id:
        check.add("territory", "id", f"{header.get('id')!r} but the territory is {territory_id!r}")
    seen: set[str] = set()
    partners = []
    for index, item in enumerate(check.items(root, "partners", "partners")):
        entry = str(item.get("id") or f"partners[{index}]")
        partner = _read_partner(check, item, entry, known, seen)
        partners.append(partner)
    return tuple(partners), check.problems


def _read_partner(
    check: Checker, doc: Mapping[str, object], entry: str, known: KnownIds, seen: set[str]
) -> Partner:
    check.unknown_keys(doc, _PARTNER_KEYS, entry)
    all_criteria = check.flag(doc, "all_criteria", entry)
    criteria = read_ids(check, doc, "criteria", entry, known.criteria)
    if all_criteria and criteria:
        check.add(entry, "criteria", "must be empty when all_criteria is true (généraliste)")
    area = check.mapping(doc.get("territory"), entry, "territory")
    contact = _read_contact(check, doc, entry)
    to_verify = check.flag(doc, "to_verify", entry)
    if contact.is_empty() and not to_verify:
        check.add(entry, "to_verify", "must be true when no contact is sourced")
    to_verify_fields = read_ids(
        check, doc, "to_verify_fields", entry, frozenset(CONTACT_KEYS)
    )
    read_choice(check, doc, "verification", entry, frozenset({"primary", "secondary"}))
    return Partner(
        id=read_ident(check, doc, entry, seen),
        name=check.text(doc, "name", entry),
        kind=read_choice(check, doc, "kind", entry, KINDS),
        description_fr=check.text(doc, "description_fr", entry),
        all_criteria=all_criteria,
        criteria=criteria,
        domains=read_ids(check, doc, "domains", entry, known.domains),
        situation_types=read_ids(check, doc, "situation_types", entry, known.situation_types),
        offers=read_ids(check, doc, "offers", entry, OFFERS),
        scope=read_choice(check, area, "scope", f"{entry}: territory", SCOPES) if area else "",
        communes=check.texts(area, "communes", f"{entry}: territory"),
        contact=contact,
        to_verify=to_verify,
        to_verify_fields=to_verify_fields,
    )


def _read_contact(check: Checker, doc: Mapping[str, object], entry: str) -> Contact:
    """The five contact fields, each present, sourced when filled, and well formed."""
    raw = check.mapping(doc.get("contact"), entry, "contact")
    if not raw:
        return Contact()
    sources = check.texts(doc, "contact_sources", entry)
    values: dict[str, str] = {}
    for key in CONTACT_KEYS:
        field = f"contact.{key}"
        if key not in raw:
            check.add(entry, field, "missing key (write an empty \"\" when not sourced)")
        value = raw.get(key, "")
        if not isinstance(value, str):
            check.add(entry, field, f"expected text, found {kind(value)}")
            value = ""
        if value and not sources:
            check.add(entry, field, "filled but contact_sources is empty (sourcing rule)")
        values[key] = value.strip()
    for key in raw:
        if key not in CONTACT_KEYS:
            check.add(entry, f"contact.{key}", "unknown contact field")
    if values["phone"] and (message := phone_problem(values["phone"])):
        check.add(entry, "contact.phone", message)
    if values["website"] and not values["website"].startswith(("https://", "http://")):
        check.add(entry, "contact.website", "must start with https:// or http://")
    if values["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", values["email"]):
        check.add(entry, "contact.email", f"{values['email']!r} is not an e-mail address")
    return Contact(**values)


def read_territory(doc: object, file: str) -> tuple[TerritoryFile | None, list[Problem]]:
    """A territory settings file and its problems; None when it does not even name its
    directory file (then the partners cannot be checked along with it)."""
    check = Checker(file)
    root = check.mapping(doc, "(file)", "(top level)")
    entry = str(root.get("id") or "(territory)")
    check.unknown_keys(root, _TERRITORY_KEYS, entry)
    timezone = check.text(root, "timezone", entry)
    try:
        ZoneInfo(timezone) if timezone else None
    except (ZoneInfoNotFoundError, ValueError):
        check.add(entry, "timezone", f"{timezone!r} is not a time zone (e.g. Europe/Paris)")
    country = check.text(root, "country", entry)
    if country and country not in holidays.list_supported_countries():
        check.add(entry, "country", f"{country!r} has no public-holiday calendar")
    line_doc = root.get("phone_line")
    line = None if line_doc is None else _read_line(check, line_doc, entry)
    territory = Territory(
        id=read_ident(check, root, entry, set()),
        name=check.text(root, "name", entry),
        timezone=timezone,
        country=country,
        communes=check.texts(root, "communes", entry),
        main_service=check.text(root, "main_service", entry),
        phone_line=line,
        default_language=_read_language(check, root, entry),
        operators=_read_operators(check, root.get("operators"), entry, line),
    )
    if not territory.communes:
        check.add(entry, "communes", "list at least one commune")
    if len(set(territory.communes)) != len(territory.communes):
        check.add(entry, "communes", "a commune is listed twice")
    directory_file = check.text(root, "directory", entry)
    if not directory_file:
        return None, check.problems
    return TerritoryFile(territory, directory_file), check.problems


def _read_line(check: Checker, value: object, entry: str) -> PhoneLine:
    """The local phone line: a sourced number, weekly slots, closed dates."""
    where = f"{entry}: phone_line"
    doc = check.mapping(value, entry, "phone_line")
    check.unknown_keys(doc, _LINE_KEYS, where)
    number = check.text(doc, "number", where)
    if number and (message := phone_problem(number)):
        check.add(where, "number", message)
    if number and not check.texts(doc, "sources", where):
        check.add(where, "sources", "a number needs the sources where it was read")
    slots = []
    for index, slot in enumerate(check.items(doc, "slots", where)):
        slots.extend(_read_slot(check, slot, f"{where}: slots[{index}]"))
    if doc.get("slots") == []:
        check.add(where, "slots", "list at least one opening slot (or set phone_line: null)")
    dates = doc.get("closed_dates") or []
    if not isinstance(dates, list):
        check.add(where, "closed_dates", "expected a list of dates, e.g. [2026-12-24]")
        dates = []
    closed = []
    for raw in dates:
        try:
            closed.append(raw if isinstance(raw, date) else date.fromisoformat(str(raw)))
        except ValueError:
            check.add(where, "closed_dates", f"{raw!r} is not a date like 2026-12-24")
    return PhoneLine(
        name=check.text(doc, "name", where),
        number=number,
        slots=tuple(sorted(slots, key=lambda s: (s.weekday, s.start))),
        closed_dates=tuple(closed),
        public_holidays=check.flag(doc, "public_holidays", where),
        hours_to_verify=check.flag(doc, "hours_to_verify", where),
    )


def _read_operators(
    check: Checker, value: object, entry: str, line: PhoneLine | None
) -> Operators:
    """The operators' group, when the team answers, its language and its reminder delay."""
    if value is None:
        return Operators(hours=line)
    where = f"{entry}: operators"
    doc = check.mapping(value, entry, "operators")
    check.unknown_keys(doc, _OPERATOR_KEYS, where)
    group = doc.get("group")
    if group is not None and (isinstance(group, bool) or not isinstance(group, int)):
        check.add(where, "group", f"{group!r} is not a Telegram chat id like -1001234567890")
        group = None
    hours_doc = doc.get("hours", "phone_line")
    hours: PhoneLine | None = None
    if hours_doc == "phone_line":
        hours = line
        if line is None:
            check.add(where, "hours", "`phone_line` is null here: give slots, or null")
    elif hours_doc is not None:
        hours = _read_hours(check, hours_doc, where)
    reminder = doc.get("reminder_minutes", 20)
    if isinstance(reminder, bool) or not isinstance(reminder, int) or reminder < 1:
        check.add(where, "reminder_minutes", f"{reminder!r} is not a number of minutes (>= 1)")
        reminder = 20
    sign = doc.get("sign_with_first_name", True)
    if not isinstance(sign, bool):
        check.add(where, "sign_with_first_name", "expected true or false")
        sign = True
    language = "fr"
    if "language" in doc:
        language = read_choice(check, doc, "language", where, frozenset({"fr", "en"}))
    return Operators(group, hours, language, reminder, sign)


def _read_hours(check: Checker, value: object, where: str) -> PhoneLine:
    """The team's own hours, written like the phone line's (slots, closed dates, holidays)."""
    where = f"{where}: hours"
    doc = check.mapping(value, where, "hours")
    check.unknown_keys(doc, _HOURS_KEYS, where)
    slots = []
    for index, slot in enumerate(check.items(doc, "slots", where)):
        slots.extend(_read_slot(check, slot, f"{where}: slots[{index}]"))
    closed = []
    for raw in doc.get("closed_dates") or []:
        try:
            closed.append(raw if isinstance(raw, date) else date.fromisoformat(str(raw)))
        except ValueError:
            check.add(where, "closed_dates", f"{raw!r} is not a date like 2026-12-24")
    holidays_closed = doc.get("public_holidays", True)
    return PhoneLine(
        name="",
        number="",
        slots=tuple(sorted(slots, key=lambda s: (s.weekday, s.start))),
        closed_dates=tuple(closed),
        public_holidays=bool(holidays_closed),
    )


def _read_slot(check: Checker, doc: Mapping[str, object], where: str) -> list[OpeningSlot]:
    days = check.texts(doc, "days", where)
    for day in days:
        if day not in WEEKDAYS:
            check.add(where, "days", f"{day!r} is not one of {', '.join(WEEKDAYS)}")
    start, end = _read_hour(check, doc, "start", where), _read_hour(check, doc, "end", where)
    if start is None or end is None:
        return []
    if start >= end:
        check.add(where, "end", f"{end:%H:%M} is not after start {start:%H:%M}")
        return []
    return [OpeningSlot(WEEKDAYS[day], start, end) for day in days if day in WEEKDAYS]


def _read_hour(check: Checker, doc: Mapping[str, object], key: str, where: str) -> time | None:
    value = doc.get(key)
    match = _HOUR.match(value) if isinstance(value, str) else None
    if match:
        return time(int(match[1]), int(match[2]))
    hint = " (write it in quotes, e.g. \"09:00\")" if isinstance(value, int) else ""
    check.add(where, key, f"{value!r} is not an hour like \"09:00\"{hint}")
    return None


def _read_language(check: Checker, root: Mapping[str, object], entry: str) -> str:
    if "default_language" not in root:
        return "fr"
    return read_choice(check, root, "default_language", entry, frozenset({"fr", "en"}))


def check_main_service(
    territory: Territory, partners: tuple[Partner, ...], file: str
) -> list[Problem]:
    """The territory's main service must be one of its directory's partners."""
    if any(partner.id == territory.main_service for partner in partners):
        return []
    message = f"{territory.main_service!r} is not a partner of the directory"
    return [Problem(file, territory.id, "main_service", message)]
