"""Import columns: which header means which contact field.

Headers are compared by their letters and digits only, case-folded, so "E-mail Address",
"email_address" and "EMAIL ADDRESS" are the same key. Unknown columns become extra fields
(kept on the contact as JSON and shown in the detail view). A user can override the mapping
per column (the TUI offers a Select for each); a mapping is a tuple of targets, one a column.
"""

from __future__ import annotations

from ..text import quote_input, sanitize_line, truncate_line

DOMAIN = "domain"
BUSINESS = "business_name"
CONTACT = "contact_name"
FIRST = "first_name"
LAST = "last_name"
EMAIL = "email"
PHONE = "phone"
NOTES = "notes"
EXTRA = "extra"
SKIP = "skip"

TARGETS: tuple[str, ...] = (
    DOMAIN, BUSINESS, CONTACT, FIRST, LAST, EMAIL, PHONE, NOTES, EXTRA, SKIP,
)
TARGET_LABELS: dict[str, str] = {
    DOMAIN: "domain / website",
    BUSINESS: "business name",
    CONTACT: "contact name",
    FIRST: "first name",
    LAST: "last name",
    EMAIL: "email",
    PHONE: "phone",
    NOTES: "notes",
    EXTRA: "extra field",
    SKIP: "skip",
}

EXTRA_KEY_LIMIT = 60
EXTRA_VALUE_LIMIT = 1000

_SYNONYMS: dict[str, str] = {}


def _add(target: str, words: str) -> None:
    for word in words.split():
        _SYNONYMS[word] = target


_add(DOMAIN, """
    domain domains domainname website websites websiteurl websiteaddress web webaddress
    webpage webseite homepage homepageurl url urls site siteurl siteweb sitioweb siteinternet
    companywebsite companyurl companydomain companysite businesswebsite businessurl
    organizationwebsite organisationwebsite accountwebsite www internetadresse domaine
    companydomainname companywebsiteurl websitedomain emaildomain webaddressurl weburl
    homepageaddress primarydomain
""")
_add(BUSINESS, """
    business businessname company companyname organization organisation organizationname
    organisationname org account accountname firm firmname firma firmenname unternehmen
    societe société entreprise empresa brand brandname store storename shop shopname
    practice practicename employer legalname tradingname
""")
_add(CONTACT, """
    name contact contactname fullname contactperson person personname owner ownername
    ansprechpartner kontakt nomcomplet nombrecompleto decisionmaker leadname
""")
_add(FIRST, "firstname first givenname forename vorname prenom prénom nombre")
_add(LAST, "lastname last surname familyname nachname nom apellido apellidos")
_add(EMAIL, """
    email emails emailaddress mail mailaddress emailadresse eaddress contactemail workemail
    businessemail primaryemail courriel correo correoelectronico emailaddress1 email1
    personalemail
""")
_add(PHONE, """
    phone phones phonenumber phoneno telephone telephonenumber tel telefon telefono téléphone
    telephone mobile mobilephone mobilenumber cell cellphone cellular contactphone workphone
    businessphone primaryphone handy phone1 phonenumber1 companyphone officephone
""")
_add(NOTES, "notes note comments comment remarks remark notizen bemerkung bemerkungen")
# A few Russian spellings (exports from Cyrillic CRMs).
_add(DOMAIN, "сайт вебсайт домен")
_add(BUSINESS, "компания организация")
_add(CONTACT, "контакт контактноелицо фио")
_add(FIRST, "имя")
_add(LAST, "фамилия")
_add(EMAIL, "почта электроннаяпочта")
_add(PHONE, "телефон")


def header_key(header: str) -> str:
    """The comparison key of a header: letters and digits only, case-folded."""
    return "".join(ch for ch in header.casefold() if ch.isalnum())


def target_for(header: str) -> str:
    """The contact field a header names, or EXTRA."""
    return _SYNONYMS.get(header_key(header), EXTRA)


def auto_mapping(header: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Map every header cell to a target by its synonyms; unknown ones are extras. A column
    that repeats an earlier column's name (``company,company``) is an extra field, so its
    values are kept (see :func:`repeated_columns`)."""
    repeated = set(repeated_columns(header))
    return tuple(EXTRA if i in repeated else target_for(h) for i, h in enumerate(header))


def repeated_columns(header: list[str] | tuple[str, ...]) -> tuple[int, ...]:
    """Indexes of the columns whose name (compared as :func:`header_key`) an earlier column
    already has, for names that map to a contact field."""
    seen: set[str] = set()
    out = []
    for i, h in enumerate(header):
        key = header_key(h)
        if key in seen and target_for(h) not in (EXTRA, SKIP):
            out.append(i)
        seen.add(key)
    return tuple(out)


def is_usable(mapping: tuple[str, ...]) -> bool:
    """A mapping is usable if some column can give a contact its domain."""
    return DOMAIN in mapping or EMAIL in mapping


def check_mapping(mapping: tuple[str, ...] | list[str], columns: int) -> tuple[str, ...]:
    """Validate a user-supplied mapping; raises ValueError with a readable reason."""
    mapping = tuple(mapping)
    unknown = [t for t in mapping if t not in TARGETS]
    if unknown:
        raise ValueError(f"unknown column target {quote_input(unknown[0])} (use one of {', '.join(TARGETS)})")
    if len(mapping) < columns:
        mapping += (EXTRA,) * (columns - len(mapping))
    return mapping[:columns] if columns else mapping


def extra_keys(header: list[str] | tuple[str, ...]) -> list[str]:
    """Display-safe, unique names for the columns, used as extra-field keys."""
    keys: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(header):
        key = truncate_line(sanitize_line(raw).replace("\ufeff", ""), EXTRA_KEY_LIMIT)
        key = key or f"column {i + 1}"
        base, n = key, 2
        while key.casefold() in seen:
            key = f"{base} ({n})"
            n += 1
        seen.add(key.casefold())
        keys.append(key)
    return keys
