"""The one table of LimeSurvey question types and what each becomes in QDL.

`TYPES` is read by the importer (each type's `shape` picks how it is built, in
`qengine.lss.convert`) and by the documentation: the table of docs/limesurvey.md
is `markdown_table()`, and a test holds the two together.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class LimeSurveyType:
    letter: str
    name: str  # LimeSurvey's name for it
    shape: str  # how the importer builds it
    qdl: str  # what it becomes in QDL
    differs: str = ""  # what does not come across exactly, and what is done instead


TYPES = {t.letter: t for t in [
    LimeSurveyType("L", "List (radio)", "single", "`single`"),
    LimeSurveyType("!", "List (dropdown)", "single", "`single`", "shown as radio buttons by QDL's forms"),
    LimeSurveyType("O", "List with comment", "single", "`single`, and a `longtext` `CODEcomment`",
                   "the comment box becomes a question of its own (`q_comment` reads it)"),
    LimeSurveyType("5", "5 point choice", "five", "`single` with options 1 to 5"),
    LimeSurveyType("G", "Gender", "gender", "`single` with options F, M"),
    LimeSurveyType("Y", "Yes/No", "yesno", "`single` with options Y, N"),
    LimeSurveyType("I", "Language switch", "language", "`single` with the survey's languages",
                   "choosing a language does not switch the survey's wording: a QDL survey has one "
                   "language"),
    LimeSurveyType("M", "Multiple choice", "multiple", "`multiple`",
                   "'Other' becomes a `text` question `CODEother` (`q_other` reads it)"),
    LimeSurveyType("P", "Multiple choice with comments", "multiple", "`multiple`, and a `text` per comment",
                   "each comment box becomes a `text` question `CODEOPTIONcomment`"),
    LimeSurveyType("A", "Array (5 point choice)", "array", "`array` with `scale 1 to 5`"),
    LimeSurveyType("B", "Array (10 point choice)", "array", "`array` with `scale 1 to 10`"),
    LimeSurveyType("C", "Array (Yes/No/Uncertain)", "array", "`array` with columns Y, U, N"),
    LimeSurveyType("E", "Array (Increase/Same/Decrease)", "array", "`array` with columns I, S, D"),
    LimeSurveyType("F", "Array", "array", "`array` (answer options are its columns)"),
    LimeSurveyType("H", "Array by column", "array", "`array`", "rows and columns are shown the other way round "
                   "by LimeSurvey; the answers are the same"),
    LimeSurveyType("1", "Array dual scale", "dual", "two `array`s, `CODE` and `CODEscale2`",
                   "the two scales become two questions; `q_sq#0` / `q_sq#1` in expressions are not converted"),
    LimeSurveyType(":", "Array (Numbers)", "grid", "`grid`",
                   "drop-downs become number boxes with the same bounds; a step other than 1 is checked "
                   "by a `validate`"),
    LimeSurveyType(";", "Array (Texts)", "texts-grid", "a `text` per cell, `CODEROWCOLUMN`",
                   "QDL has no grid of texts: each cell is a `text` question (`q_row_col` reads it)"),
    LimeSurveyType("K", "Multiple numerical input", "numbers", "a `display` and an `integer` or `decimal` "
                   "per subquestion, `CODESUB`", "QDL has no multiple number question; the bounds of the sum "
                   "become a `validate` rule of the last one"),
    LimeSurveyType("Q", "Multiple short text", "texts", "a `display` and a `text` per subquestion, "
                   "`CODESUB`", "QDL has no multiple text question"),
    LimeSurveyType("N", "Numerical input", "number", "`integer` or `decimal`"),
    LimeSurveyType("S", "Short free text", "text", "`text` (`decimal` with 'numbers only')"),
    LimeSurveyType("T", "Long free text", "longtext", "`longtext`"),
    LimeSurveyType("U", "Huge free text", "longtext", "`longtext`"),
    LimeSurveyType("D", "Date/Time", "date", "`date` (`min`, `max` from the minimum and maximum date)",
                   "a date is answered and read `YYYY-MM-DD`: a time of day (a date format with hours) is not "
                   "kept; bounds and defaults written as expressions are not converted; the date functions "
                   "work in UTC, not in the server's time zone"),
    LimeSurveyType("R", "Ranking", "ranking", "`array`: one row per rank, the options as columns",
                   "QDL has no ranking kind yet: each rank picks an option, and a `validate` rule forbids "
                   "picking one twice"),
    LimeSurveyType("X", "Text display", "display", "`display`"),
    LimeSurveyType("*", "Equation", "equation", "`equation`",
                   "LimeSurvey shows an equation's text unless it is hidden; a QDL equation is never shown"),
    LimeSurveyType("|", "File upload", "unsupported", "`display`",
                   "QDL surveys take no files: the question becomes a display text"),
]}

#: Any other type letter: a display text, with a warning naming the question and type.
FALLBACK = LimeSurveyType("?", "any other type", "unsupported", "`display`",
                          "the question becomes a display text")

def markdown_table() -> str:
    """The type table of docs/limesurvey.md."""
    lines = ["| LimeSurvey type | QDL | what differs |", "| --- | --- | --- |"]
    for t in [*TYPES.values(), FALLBACK]:
        letter = "" if t.letter == "?" else "`\\|`" if t.letter == "|" else f"`{t.letter}`"
        lines.append(f"| {letter} {t.name} | {t.qdl} | {t.differs or 'comes across whole'} |".replace("  ", " "))
    return "\n".join(lines)
