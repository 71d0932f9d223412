"""What the data tools say, in the survey's language (English the fallback)."""

from __future__ import annotations

from qengine.kinds.base import said

WORDS = {
    "en": {
        "not_asked": "not asked", "no_answer": "asked, no answer", "ticked": "ticked", "not_ticked": "not ticked",
        "report": "Results", "codebook": "Codebook", "respondents": "respondents",
        "among_asked": "Among the {n} respondents who were asked this question",
        "among_asked_one": "Among the {n} respondent who was asked this question",
        "nobody_asked": "No respondent was asked this question",
        "asked_if": "Asked only if: {condition}", "always": "Asked of every respondent",
        "group_if": "Its group is shown only if: {condition}",
        "computed": "Computed for every respondent whose answers reach it",
        "asked": "asked", "answered": "answered", "answered_n": ("{n} answered", "{n} answered"), "answer": "Answer", "count": "n", "percent": "% of answered",
        "percent_asked": "% of asked", "ci": "95 % CI (Wilson)", "total": "Total",
        "n": "n", "mean": "mean", "median": "median", "iqr": "IQR", "min": "min", "max": "max",
        "row": "Row", "cell": "Cell", "by": "By {name}", "test": "Test",
        "chi2": "χ² test: χ² = {stat}, df = {df}, p = {p}",
        "fisher": "Fisher's exact test (expected counts below 5): p = {p}",
        "montecarlo": "Fisher's exact test, estimated from {n} random tables (expected counts below 5): p = {p}",
        "no_test": "No test: fewer than two groups or two answers",
        "texts": "{n} different answers",
        "variable": "Variable", "label": "Label", "type": "Type", "values": "Values", "missing": "Missing",
        "code": "Code", "question": "Question",
        "types": {"choice": "single choice", "flag": "ticked (1) or not (0)", "number": "number",
                  "integer": "whole number", "text": "text", "computed": "computed value"},
        "generated": "{n} responses ({problems} problems in the input).",
        "summary": "{n} respondents; every percentage is over the respondents who were asked the question.",
        "histogram": "Distribution", "frequency": "respondents",
    },
    "fr": {
        "not_asked": "non posée", "no_answer": "sans réponse", "ticked": "coché", "not_ticked": "non coché",
        "report": "Résultats", "codebook": "Dictionnaire des variables", "respondents": "répondants",
        "among_asked": "Parmi les {n} répondants à qui la question a été posée",
        "among_asked_one": "Parmi le {n} répondant à qui la question a été posée",
        "nobody_asked": "La question n'a été posée à aucun répondant",
        "asked_if": "Posée seulement si : {condition}", "always": "Posée à tous les répondants",
        "group_if": "Son groupe n'est affiché que si : {condition}",
        "computed": "Calculée pour chaque répondant dont les réponses y mènent",
        "asked": "posée", "answered": "répondue", "answered_n": ("{n} a répondu", "{n} ont répondu"), "answer": "Réponse", "count": "n", "percent": "% des réponses",
        "percent_asked": "% des interrogés", "ci": "IC 95 % (Wilson)", "total": "Total",
        "n": "n", "mean": "moyenne", "median": "médiane", "iqr": "EIQ", "min": "min", "max": "max",
        "row": "Ligne", "cell": "Case", "by": "Selon {name}", "test": "Test",
        "chi2": "Test du χ² : χ² = {stat}, ddl = {df}, p = {p}",
        "fisher": "Test exact de Fisher (effectifs attendus inférieurs à 5) : p = {p}",
        "montecarlo": "Test exact de Fisher, estimé sur {n} tables tirées au hasard (effectifs attendus inférieurs à 5) : p = {p}",
        "no_test": "Pas de test : moins de deux groupes ou de deux réponses",
        "texts": "{n} réponses différentes",
        "variable": "Variable", "label": "Libellé", "type": "Type", "values": "Valeurs", "missing": "Manquantes",
        "code": "Code", "question": "Question",
        "types": {"choice": "choix unique", "flag": "coché (1) ou non (0)", "number": "nombre",
                  "integer": "nombre entier", "text": "texte", "computed": "valeur calculée"},
        "generated": "{n} réponses ({problems} problèmes dans les données).",
        "summary": "{n} répondants ; chaque pourcentage porte sur les répondants à qui la question a été posée.",
        "histogram": "Distribution", "frequency": "répondants",
    },
}


def words(language: str | None) -> dict:
    return said(language or "en", WORDS)


def number(x: float, language: str | None, digits: int = 1) -> str:
    """A number as the language writes it (a decimal comma in French)."""
    if isinstance(x, int) or float(x).is_integer() and digits == 0:
        text = f"{int(round(x)):,}".replace(",", "\u202f" if _french(language) else ",")
        return text
    text = f"{x:,.{digits}f}"
    if _french(language):
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def _french(language: str | None) -> bool:
    return (language or "en").split("-")[0].split("_")[0].lower() == "fr"
