"""The fixed wording of the printable annex, French and English.

The French follows LimeSurvey's printable version word for word where it has an
equivalent ("Veuillez sélectionner une seule des propositions suivantes :"), so that
an annex made with qengine reads like the ones readers already know.
"""

from __future__ import annotations

import re

import attrs


@attrs.frozen
class Labels:
    questions: tuple[str, str]  # (one, several): "Il y a {n} questions dans ce questionnaire"
    # What path statistics (qengine lint --stats) say, each figure with what it rests on:
    shown: tuple[str, str]  # (a range, one number) of questions shown, then {inexact}
    inexact: str
    duration: tuple[str, str]  # (a range, one figure): an estimate, never the author's figure
    minutes: tuple[str, str]  # (one, several)
    mandatory_legend: str
    ticks: dict[str, str]
    value: dict[str, str]
    each_value: dict[str, str]
    max_length: str
    pattern: str
    prefilled: str
    prefilled_each: str
    ticked_by_default: str
    exclusive: str
    varies: str
    no_text: str
    validation_message: str
    quotes: tuple[str, str]
    computed_value: str
    end: str
    # conditions: a context's start, then how a single sentence or a list follows it
    leads: dict[str, tuple[str, str]]
    all_suffix: str
    any_suffix: str


FRENCH = Labels(
    questions=("Il y a {n} question dans ce questionnaire.", "Il y a {n} questions dans ce questionnaire."),
    shown=("Selon ses réponses, un répondant voit de {fewest} questions (parcours le plus court) "
           "à {most} questions (parcours le plus long){inexact}.",
           "Tout répondant voit {fewest} de ces questions{inexact}."),
    inexact=" (approché : certaines règles du questionnaire ne sont pas modélisées exactement)",
    duration=("Durée estimée par qengine d'après la longueur des parcours, une lecture de {slow} à {fast} mots "
              "par minute et un temps de réponse par question : de {low} (parcours le plus court, lecture "
              "rapide) à {high} (parcours le plus long, lecture lente).",
              "Durée estimée par qengine d'après la longueur du parcours, une lecture de {slow} à {fast} mots "
              "par minute et un temps de réponse par question : environ {low}."),
    minutes=("{n} minute", "{n} minutes"),
    mandatory_legend="* réponse obligatoire",
    ticks={"min1": "Veuillez sélectionner au moins une réponse.",
           "min": "Veuillez sélectionner au moins {min} réponses.",
           "max1": "Veuillez sélectionner au plus une réponse.",
           "max": "Veuillez sélectionner au plus {max} réponses.",
           "both": "Veuillez sélectionner entre {min} et {max} réponses.",
           "exactly": "Veuillez sélectionner exactement {min} réponses."},
    value={"min": "La réponse doit être au moins {min}.", "max": "La réponse doit être au plus {max}.",
           "both": "La réponse doit être comprise entre {min} et {max}."},
    each_value={"min": "Chaque valeur doit être au moins {min}.", "max": "Chaque valeur doit être au plus {max}.",
                "both": "Chaque valeur doit être comprise entre {min} et {max}."},
    max_length="{n} caractères au plus.",
    pattern="La réponse doit correspondre au modèle :",
    prefilled="Réponse préremplie : {value}.",
    prefilled_each="Chaque case est préremplie à {value}.",
    ticked_by_default="(cochée d'avance)",
    exclusive="(exclusive : la cocher décoche les autres réponses)",
    varies="Texte variable selon les réponses précédentes :",
    no_text="(aucun texte)",
    validation_message="Message affiché si la réponse ne convient pas :",
    quotes=("«\u00a0", "\u00a0»"),
    computed_value="Valeur :",
    end="Fin du questionnaire",
    leads={"question": ("Répondre à cette question seulement si", " les conditions suivantes sont réunies :"),
           "group": ("Répondre à cette section seulement si", " les conditions suivantes sont réunies :"),
           "option": ("Proposée seulement si", " :"),
           "row": ("Ligne affichée seulement si", " :"),
           "variant": ("si", ""),
           "validation": ("Réponse acceptée seulement si", " :"),
           "equation": ("Calculée seulement si", " :")},
    all_suffix=" toutes les conditions suivantes sont réunies :",
    any_suffix=" au moins une des conditions suivantes est remplie :",
)

ENGLISH = Labels(
    questions=("There is {n} question in this survey.", "There are {n} questions in this survey."),
    shown=("Depending on the answers, a respondent sees from {fewest} questions (shortest path) "
           "to {most} questions (longest path){inexact}.",
           "Every respondent sees {fewest} of these questions{inexact}."),
    inexact=" (approximate: some rules of the survey are not modelled exactly)",
    duration=("Time estimated by qengine from the length of the paths, reading at {slow} to {fast} words a "
              "minute and a time to answer each question: from {low} (shortest path, fast reader) to {high} "
              "(longest path, slow reader).",
              "Time estimated by qengine from the length of the path, reading at {slow} to {fast} words a "
              "minute and a time to answer each question: about {low}."),
    minutes=("{n} minute", "{n} minutes"),
    mandatory_legend="* answer required",
    ticks={"min1": "Please select at least one answer.",
           "min": "Please select at least {min} answers.",
           "max1": "Please select at most one answer.",
           "max": "Please select at most {max} answers.",
           "both": "Please select between {min} and {max} answers.",
           "exactly": "Please select exactly {min} answers."},
    value={"min": "The answer must be at least {min}.", "max": "The answer must be at most {max}.",
           "both": "The answer must be between {min} and {max}."},
    each_value={"min": "Each value must be at least {min}.", "max": "Each value must be at most {max}.",
                "both": "Each value must be between {min} and {max}."},
    max_length="At most {n} characters.",
    pattern="The answer must match the pattern:",
    prefilled="Prefilled answer: {value}.",
    prefilled_each="Each box is prefilled with {value}.",
    ticked_by_default="(ticked in advance)",
    exclusive="(exclusive: ticking it clears the other answers)",
    varies="Wording depends on earlier answers:",
    no_text="(no text)",
    validation_message="Message shown when the answer does not fit:",
    quotes=("“", "”"),
    computed_value="Value:",
    end="End of the survey",
    leads={"question": ("Only answer this question if", " the following conditions are met:"),
           "group": ("Only answer this section if", " the following conditions are met:"),
           "option": ("Offered only if", ":"),
           "row": ("Shown only if", ":"),
           "variant": ("if", ""),
           "validation": ("Accepted only if", ":"),
           "equation": ("Computed only if", ":")},
    all_suffix=" all of the following conditions are met:",
    any_suffix=" at least one of the following conditions is met:",
)


def labels(language: str) -> Labels:
    """The annex's words for a language tag; English when it is not built in."""
    return {"fr": FRENCH, "en": ENGLISH}.get(re.split(r"[-_]", language or "en")[0].lower(), ENGLISH)
