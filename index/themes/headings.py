"""The heading signal: a quotation filed by its authors under a heading that names the theme.

Reports organise findings by theme ("Dedicated and ongoing resources", "THEME 5: BUILDING
CAPACITY AND RESOURCES", "6.6 Criterion 4: Dedicated and ongoing resources, including
funding ..."); a quotation anywhere below such a heading is evidence the authors coded it
there. A heading names a theme when it holds every content word of one of the theme's
heading phrases (numbering, "Criterion 4:" and "THEME 5:" carry no content words).
"""

from __future__ import annotations

from collections.abc import Sequence

from index.themes.lexical import lexical_terms

PATH_SEPARATOR = " > "


def phrase_terms(phrases: Sequence[str]) -> list[frozenset[str]]:
    """Each phrase as its set of content words; phrases with none are dropped (they would match anything)."""
    return [terms for terms in (frozenset(lexical_terms(p)) for p in phrases) if terms]


def path_names_theme(section_path: str | None, terms: Sequence[frozenset[str]]) -> bool:
    """True when any heading on the section path holds all content words of one phrase."""
    if not section_path or not terms:
        return False
    for heading in section_path.split(PATH_SEPARATOR):
        words = set(lexical_terms(heading))
        if any(t <= words for t in terms):
            return True
    return False
