"""What the terminal form itself says, in the survey's language.

The runtime's catalogue (`qengine.runtime.messages`) holds the validation messages
every front end shares; this one holds the terminal's own chrome: key hints, the
instructions LimeSurvey printed for each widget (`Kind.widget`; a number box in two
forms, `whole_number` and `number`), the start and end lines.
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
        "defect": "This questionnaire has a defect and cannot go on:",
        "defect_close": "Press any key to save your answers and close",
        "no_answer": "No answer",
        "choice": "Choose one of the following answers",
        "choices": "Tick any that apply",
        "choice_table": "Choose the appropriate answer for each line",
        "whole_number": "Only a whole number can be entered here",
        "number": "Only a number can be entered here",
        "number_table": "Only numbers can be entered in these fields",
        "date": "Write a date as YYYY-MM-DD",
        "nothing_offered": "Nothing to answer here.",
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
        "k_type": "type", "k_newline": "new line", "k_cell": "next cell", "k_line": "next line",
        "k_leave": "next question",
        "k_enter": "Enter", "k_space": "Space", "k_esc": "Esc", "k_number": "0-9", "k_pgdn": "PgDn",
    },
    "fr": {
        "start": "Appuyez sur Entrée pour commencer",
        "resumed": "Bon retour : vous reprenez là où vous vous étiez arrêté.",
        "end_default": "Merci ! Vos réponses ont été enregistrées.",
        "recorded": "Vos réponses ont été enregistrées.",
        "written": "La réponse est dans {path}.",
        "close": "Appuyez sur une touche pour fermer",
        "defect": "Ce questionnaire comporte un défaut et ne peut pas continuer :",
        "defect_close": "Appuyez sur une touche pour enregistrer vos réponses et fermer",
        "no_answer": "Sans réponse",
        "choice": "Veuillez sélectionner une réponse ci-dessous",
        "choices": "Cochez la ou les réponses",
        "choice_table": "Choisissez la réponse appropriée pour chaque élément",
        "whole_number": "Seul un nombre entier peut être inscrit dans ce champ",
        "number": "Seul un nombre peut être inscrit dans ce champ",
        "number_table": "Seuls des nombres peuvent être inscrits dans ces champs",
        "date": "Écrivez une date sous la forme AAAA-MM-JJ",
        "nothing_offered": "Rien à répondre ici.",
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
        "k_cell": "case suivante", "k_line": "ligne suivante", "k_leave": "question suivante",
        "k_enter": "Entrée", "k_space": "Espace", "k_esc": "Échap", "k_number": "0-9",
        "k_pgdn": "Pg suiv",
    },
}


# Phrases about a number of answers, in two forms (one, several): which one a
# number takes is the language's rule in _SEVERAL.
COUNTED: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "multiple_min": ("Tick at least {n} answer", "Tick at least {n} answers"),
        "multiple_max": ("Tick at most {n} answer", "Tick at most {n} answers"),
        "multiple_exactly": ("Tick exactly {n} answer", "Tick exactly {n} answers"),
        "multiple_between": ("Tick between {min} and {n} answer", "Tick between {min} and {n} answers"),
    },
    "fr": {
        "multiple_min": ("Cochez au moins {n} réponse", "Cochez au moins {n} réponses"),
        "multiple_max": ("Cochez au plus {n} réponse", "Cochez au plus {n} réponses"),
        "multiple_exactly": ("Cochez exactement {n} réponse", "Cochez exactement {n} réponses"),
        "multiple_between": ("Cochez entre {min} et {n} réponse", "Cochez entre {min} et {n} réponses"),
    },
}
_SEVERAL = {"en": lambda n: n != 1, "fr": lambda n: abs(n) >= 2}  # 0 answers, but 0 réponse


def _table_name(language: str) -> str:
    name = language.split("-")[0].lower()
    return name if name in WORDS else "en"


def words_for(language: str) -> dict[str, str]:
    """The table for `language` ("fr-CA" uses "fr"), English for the rest."""
    return WORDS[_table_name(language)]


def counted(language: str, key: str, n: int, **values) -> str:
    """The phrase `key` about `n` answers, its noun in the form `n` takes in
    `language` ("1 réponse", "2 réponses"), with `values` filled in."""
    name = _table_name(language)
    one, several = COUNTED[name][key]
    return (several if _SEVERAL[name](n) else one).format(n=n, **values)
