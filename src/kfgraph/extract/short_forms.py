"""Short forms of organizations that the same release names in full.

    short_form_mentions(text, organizations, taken) -> [(start, end, key)]

Releases name a body in full once and then shortly:

- by its head noun with "the": "the Council" after "the North Atlantic Council", "the Agency" after "the
  Kosovo Agency for Protection from Radiation", "the Contingent", "the Battalion";
- by its initials without brackets: "PMC KFOR" after "the Polish Military Contingent KFOR";
- NATO as "the Alliance".

A short form counts only when exactly one organization of the release fits it, and never where another
name already is.
"""

from __future__ import annotations

import re
from functools import lru_cache

# head nouns a body is called by after its full name (capitalised: "the Council", not "the council")
_HEADS = frozenset(
    "Council Committee Commission Agency Mission Battalion Brigade Regiment Contingent Company Detachment "
    "Directorate Institute Ministry Assembly Parliament Court Office Authority Command Corps Group "
    "Force Team Unit Diocese Eparchy Synod Centre Center Service Foundation Association".split()
)
_SMALL = frozenset({"of", "for", "and", "the", "in", "on", "to", "from"})
_ALLIANCE = re.compile(r"\b[Tt]he (Alliance)\b")


@lru_cache(maxsize=4096)
def _head(label: str) -> str | None:
    """The head noun of a name: the last capitalised word from the list before an "of/for/in" part."""
    words = re.findall(r"[\w’'-]+", label)
    cut = next((i for i, w in enumerate(words) if w in _SMALL and i > 0), len(words))
    heads = [w for w in words[:cut] if w in _HEADS]
    return heads[-1] if heads else None


@lru_cache(maxsize=4096)
def _initials(label: str) -> str | None:
    """ "Polish Military Contingent" -> "PMC"; only for names of three capitalised words or more."""
    words = [w for w in re.findall(r"[\w’'-]+", label) if w not in _SMALL]
    if len(words) < 3 or not all(w[:1].isupper() and not w.isupper() for w in words):
        return None
    return "".join(w[0] for w in words)


def short_form_mentions(text: str, organizations: dict[str, str], taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Spans of short forms and the organization key each one names.

    ``organizations`` maps the keys of the release's organizations to their labels; ``taken`` holds the
    spans other names already cover.
    """
    by_head: dict[str, set[str]] = {}
    by_initials: dict[str, set[str]] = {}
    for key, label in organizations.items():
        head = _head(label)
        if head is not None:
            by_head.setdefault(head, set()).add(key)
        initials = _initials(label)
        if initials is not None:
            by_initials.setdefault(initials, set()).add(key)
    found: list[tuple[int, int, str]] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken) and not any(s < end and start < e for s, e, _ in found)

    for head, keys in by_head.items():
        if len(keys) != 1 or (f"the {head}" not in text and f"The {head}" not in text):
            continue
        (key,) = keys
        for m in re.finditer(rf"\b[Tt]he ({head})\b(?! (?:of|for)\b)", text):
            if free(m.start(1), m.end(1)):
                found.append((m.start(1), m.end(1), key))
    for initials, keys in by_initials.items():
        if len(keys) != 1 or initials not in text:
            continue
        (key,) = keys
        for m in re.finditer(rf"\b{initials}\b", text):
            if free(m.start(), m.end()):
                found.append((m.start(), m.end(), key))
    if "nato" in organizations and "lliance" in text:
        for m in _ALLIANCE.finditer(text):
            if free(m.start(1), m.end(1)):
                found.append((m.start(1), m.end(1), "nato"))
    return sorted(found)
