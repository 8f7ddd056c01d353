"""The city's identity: the workspace's ``city.yaml``, or the shipped default .

Read once per change of the file (its modification time and size are the cache key), so a
coordinator who corrects the coordinator's phone sees it in the next letter without a restart.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from contestflow.config import get_settings
from contestflow.yamlfile import DefinitionError, read_yaml, validate
from schemas import DEFAULT_CITY_FILE
from schemas.identity import CityIdentity

WORKSPACE_FILE = "city.yaml"

_lock = threading.Lock()
_cache: dict[tuple[str, int, int], CityIdentity] = {}


class IdentityError(DefinitionError):
    """The city file cannot be used; the message names its file, line and field."""


def identity_file() -> Path:
    """The workspace's own city file when there is one, else the shipped default."""
    own = get_settings().home / WORKSPACE_FILE
    return own if own.is_file() else DEFAULT_CITY_FILE


def load_identity(path: Path) -> CityIdentity:
    data, root = read_yaml(path, IdentityError)
    if not isinstance(data, dict):
        raise IdentityError(f"{path}: the city file must be a mapping of fields")
    return validate(path, CityIdentity, data, root, IdentityError)


def city() -> CityIdentity:
    """The city this workspace serves."""
    path = identity_file()
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(key)
    if cached is None:
        cached = load_identity(path)
        with _lock:
            _cache.clear()
            _cache[key] = cached
    return cached


def coordinator_signature(language: str) -> list[str]:
    """The lines that end a mail to a department: the coordinator's name, position and phone,
    in ``language`` (Russian unless ``en``), so a reply or a call reaches a person."""
    person = city().coordinator
    if language == "en":
        return [person.name_en, person.position_en, f"Phone {person.phone}"]
    # The file keeps the position as it stands mid-sentence; a signature line starts capitalised.
    position = person.position_ru[:1].upper() + person.position_ru[1:]
    return [person.name_ru, position, f"тел. {person.phone}"]


def history_file() -> Path | None:
    """The city's record of past entries and results, if its file names one."""
    name = city().history
    return identity_file().parent / name if name else None


def local_timezone() -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=city().utc_offset_hours))


def local_today(now: dt.datetime | None = None) -> dt.date:
    """Today where the city is: a reminder due "today" means the city's day, not UTC's."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(local_timezone()).date()


def own_names() -> frozenset[str]:
    """What the city, its administration and each of its departments are called, in every form
    a nominator field might repeat them."""
    identity = city()
    names, letterhead = identity.names, identity.letterhead
    found = {names.ru, names.en, f"город {names.ru}", f"City of {names.en}",
             letterhead.administration_ru, letterhead.administration_en}
    for department in identity.departments:
        found.update({department.name_ru, department.name_en})
    return frozenset(found)


def own_addresses() -> frozenset[str]:
    """The city's own mail addresses (the coordinator's, the departments'). Whole addresses,
    not domains: a department on a public mail service shares its domain with anyone."""
    identity = city()
    addresses = [identity.coordinator.email, *(d.email for d in identity.departments)]
    return frozenset(a.strip().casefold() for a in addresses if a)


def _folded(text: str) -> str:
    return " ".join(text.replace("«", " ").replace("»", " ").replace('"', " ").split()).casefold()


def names_the_city(party: str, names: frozenset[str], email: str = "",
                   addresses: frozenset[str] = frozenset()) -> bool:
    """Whether a nominating party is the city itself: one of its ``names``, a body of its
    administration (a name holding the administration's, as a department's does), or one of
    the city's own mail ``addresses``."""
    folded = _folded(party)
    own = {_folded(name) for name in names}
    administrations = {_folded(city().letterhead.administration_en),
                       _folded(f"администрации {city().names.ru_genitive}")}
    if folded and (folded in own or any(a in folded for a in administrations)):
        return True
    return bool(email) and email.strip().casefold() in addresses
