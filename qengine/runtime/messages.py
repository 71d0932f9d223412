"""The respondent-facing messages qengine writes itself, in each built-in language.

One catalogue for every front end: the Python runtime uses it directly and the HTML
form embeds it, so a respondent reads the same sentence whichever way they answer.
"""

from __future__ import annotations

import re

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "mandatory": "This question is mandatory.",
        "mandatory_rows": "Please answer every line.",
        "mandatory_cells": "Please fill in every box.",
        "min_ticks": "The number of answers ticked must be at least {n}.",
        "max_ticks": "The number of answers ticked must be at most {n}.",
        "exclusive": "'{label}' cannot be ticked together with other answers.",
        "not_offered": "'{value}' is not one of the answers offered.",
        "not_integer": "Only a whole number can be entered here.",
        "not_number": "Only a number can be entered here.",
        "below_min": "The value must be at least {n}.",
        "above_max": "The value must be at most {n}.",
        "too_long": "At most {n} characters.",
        "pattern": "The answer does not have the expected form.",
        "not_date": "Please enter a date as YYYY-MM-DD.",
        "date_min": "The date must be {n} or later.",
        "date_max": "The date must be {n} or earlier.",
        "hidden": "This question is not shown now.",
    },
    "fr": {
        "mandatory": "Cette question est obligatoire.",
        "mandatory_rows": "Veuillez répondre à chaque ligne.",
        "mandatory_cells": "Veuillez remplir chaque case.",
        "min_ticks": "Le nombre de réponses cochées doit être au moins {n}.",
        "max_ticks": "Le nombre de réponses cochées doit être au plus {n}.",
        "exclusive": "« {label} » ne peut pas être coché avec d'autres réponses.",
        "not_offered": "« {value} » ne fait pas partie des réponses proposées.",
        "not_integer": "Seul un nombre entier peut être inscrit dans ce champ.",
        "not_number": "Seul un nombre peut être inscrit dans ce champ.",
        "below_min": "La valeur doit être au moins {n}.",
        "above_max": "La valeur doit être au plus {n}.",
        "too_long": "Au plus {n} caractères.",
        "pattern": "La réponse n'a pas la forme attendue.",
        "not_date": "Veuillez saisir une date sous la forme AAAA-MM-JJ.",
        "date_min": "La date doit être le {n} ou après.",
        "date_max": "La date doit être le {n} ou avant.",
        "hidden": "Cette question n'est pas affichée pour le moment.",
    },
}


def built_in(language: str) -> str | None:
    """The catalogue's language for a language tag ("fr", "fr-CA", "fr_BE"), or None
    for a language qengine has no messages in: those surveys get English ones,
    which `qengine check` warns about."""
    base = re.split(r"[-_]", language, maxsplit=1)[0].lower()
    return base if base in CATALOGUE else None


def message(language: str, key: str, **values) -> str:
    return CATALOGUE[built_in(language) or "en"][key].format(**values)
