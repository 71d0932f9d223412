"""What the terminal form itself says, in the survey's language.

The runtime's catalogue (`qengine.runtime.messages`) holds the validation messages
every front end shares; this one holds the terminal's own chrome: key hints, the
instructions LimeSurvey printed for each kind of question, the start and end lines.
A language without a table here falls back to English.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "start": "Press Enter to start",
        "resumed": "Welcome back: you are where you left off.",
        "end_default": "Thank you! Your answers have been recorded.",
        "recorded": "Your answers have been recorded.",
        "written": "The response is in {path}.",
        "close": "Press any key to close",
        "no_answer": "No answer",
        "single": "Choose one of the following answers",
        "multiple": "Tick any that apply",
        "multiple_min": "Tick at least {n}",
        "multiple_max": "Tick at most {n}",
        "multiple_between": "Tick between {min} and {max}",
        "array": "Choose the appropriate answer for each line",
        "integer": "Only a whole number can be entered here",
        "decimal": "Only a number can be entered here",
        "grid": "Only numbers can be entered in these fields",
        "between": "between {min} and {max}",
        "at_least": "at least {min}",
        "at_most": "at most {max}",
        "characters": "{n}/{max} characters",
        "more_above": "▲ more above",
        "more_below": "▼ more below",
        "too_small": "The terminal is too small: make it at least {w}×{h}.",
        # key hints: (keys, what they do)
        "k_move": "move", "k_choose": "choose", "k_tick": "tick", "k_pick": "pick",
        "k_next": "next", "k_start": "start", "k_back": "back", "k_save": "save and quit",
        "k_type": "type", "k_newline": "new line", "k_cell": "next cell",
        "k_enter": "Enter", "k_space": "Space", "k_esc": "Esc", "k_number": "0-9",
    },
    "fr": {
        "start": "Appuyez sur Entrée pour commencer",
        "resumed": "Bon retour : vous reprenez là où vous vous étiez arrêté.",
        "end_default": "Merci ! Vos réponses ont été enregistrées.",
        "recorded": "Vos réponses ont été enregistrées.",
        "written": "La réponse est dans {path}.",
        "close": "Appuyez sur une touche pour fermer",
        "no_answer": "Sans réponse",
        "single": "Veuillez sélectionner une réponse ci-dessous",
        "multiple": "Cochez la ou les réponses",
        "multiple_min": "Cochez au moins {n} réponse(s)",
        "multiple_max": "Cochez au plus {n} réponse(s)",
        "multiple_between": "Cochez entre {min} et {max} réponses",
        "array": "Choisissez la réponse appropriée pour chaque élément",
        "integer": "Seul un nombre entier peut être inscrit dans ce champ",
        "decimal": "Seul un nombre peut être inscrit dans ce champ",
        "grid": "Seuls des nombres peuvent être inscrits dans ces champs",
        "between": "entre {min} et {max}",
        "at_least": "au moins {min}",
        "at_most": "au plus {max}",
        "characters": "{n}/{max} caractères",
        "more_above": "▲ suite au-dessus",
        "more_below": "▼ suite en dessous",
        "too_small": "Le terminal est trop petit : agrandissez-le à {w}×{h} au moins.",
        "k_move": "déplacer", "k_choose": "choisir", "k_tick": "cocher", "k_pick": "choisir",
        "k_next": "suivant", "k_start": "commencer", "k_back": "retour",
        "k_save": "enregistrer et quitter", "k_type": "saisir", "k_newline": "nouvelle ligne",
        "k_cell": "case suivante",
        "k_enter": "Entrée", "k_space": "Espace", "k_esc": "Échap", "k_number": "0-9",
    },
}


def words_for(language: str) -> dict[str, str]:
    """The table for `language` ("fr-CA" uses "fr"), English for the rest."""
    return WORDS.get(language.split("-")[0].lower(), WORDS["en"])
