"""The names of the imported survey: QDL codes for LimeSurvey's codes, and what
each ExpressionScript variable is in QDL.

LimeSurvey names a question's parts `q_sq` (a subquestion), `q_row_col` (a cell),
`q_other`, `q_comment`, `q_1` (a rank), and each has an SGQA name too
(`12345X6X7sq`). `SurveyScope` knows, for every such name, the QDL variable that
holds the same answer and the kind of value it has (`translate.Variable`), which is
how the translator keeps LimeSurvey's meaning while the codes change.
"""

from __future__ import annotations

import re

import attrs

from qengine.expr import ast
from qengine.lss import record
from qengine.lss.codes import Codes
from qengine.lss.kinds import FALLBACK, TYPES
from qengine.lss.script.tokens import tokenize
from qengine.lss.texts import html_to_text
from qengine.lss.translate.translator import Unconvertible, Variable
from qengine.span import NOWHERE

#: Answer options of the types whose options LimeSurvey fixes itself.
FIXED_OPTIONS = {
    "5": [(str(i), str(i)) for i in range(1, 6)],
    "G": [("F", "Female"), ("M", "Male")],
    "Y": [("Y", "Yes"), ("N", "No")],
    "A": [(str(i), str(i)) for i in range(1, 6)],
    "B": [(str(i), str(i)) for i in range(1, 11)],
    "C": [("Y", "Yes"), ("U", "Uncertain"), ("N", "No")],
    "E": [("I", "Increase"), ("S", "Same"), ("D", "Decrease")],
}
FIXED_LABELS_FR = {"Female": "Féminin", "Male": "Masculin", "Yes": "Oui", "No": "Non", "Uncertain": "Incertain",
                   "Increase": "Augmente", "Same": "Sans changement", "Decrease": "Diminue", "Other": "Autre"}


@attrs.define
class Names:
    """The QDL codes of one LimeSurvey question's parts."""

    code: str
    options: dict[str, str] = attrs.field(factory=dict)  # LimeSurvey answer code -> QDL option/column code
    rows: dict[str, str] = attrs.field(factory=dict)  # subquestion code (scale 0) -> QDL row/option code
    columns: dict[str, str] = attrs.field(factory=dict)  # subquestion code (scale 1) -> QDL column code
    #: questions the import adds for parts QDL has no place for, by LimeSurvey variable name
    #: (`q_other`, `q_comment`, `q_sq` of a multiple short text, `q_row_col` of an array of texts)
    parts: dict[str, str] = attrs.field(factory=dict)
    second: str = ""  # the second array of a dual-scale array
    second_options: dict[str, str] = attrs.field(factory=dict)
    renamed: list[str] = attrs.field(factory=list)  # "LimeSurvey 'x' is 'y' here" lines

    def note(self, what: str, old: str, new: str) -> None:
        if old != new:
            self.renamed.append(f"LimeSurvey {what} '{old}' is '{new}' here")


def label(text: str, language: str) -> str:
    return FIXED_LABELS_FR.get(text, text) if language.startswith("fr") else text


def shape(q: record.Question) -> str:
    return TYPES.get(q.type, FALLBACK).shape


def options(q: record.Question, survey: record.Survey) -> list[tuple[str, str]]:
    """(LimeSurvey code, label HTML) of the question's options or columns."""
    if q.type in FIXED_OPTIONS:
        return [(c, label(t, survey.language)) for c, t in FIXED_OPTIONS[q.type]]
    if q.type == "I":
        return [(lang, lang) for lang in survey.languages]
    return [(a.code, a.text) for a in q.options(0)]


class SurveyScope:
    """Codes for the whole survey, and the variables expressions may read."""

    def __init__(self, survey: record.Survey):
        self.survey = survey
        self.questions = Codes("q")  # questions and groups share one namespace in QDL
        self.names: dict[str, Names] = {}
        self.group_codes: dict[str, str] = {}
        self.variables: dict[str, Variable] = {}
        self.sgqa: dict[str, str] = {}
        self.by_code = {q.code: q for q in survey.questions}
        self.members: dict[str, list[str]] = {}  # LimeSurvey question code -> its variables, in order
        hidden_groups = {g.gid for g in survey.groups if _condition(g.relevance)}
        conditioned = {c.qid for c in survey.conditions}
        for q in survey.questions:
            self._name(q)
        for i, g in enumerate(survey.groups, 1):
            self.group_codes[g.gid] = self.questions.add(f"g{i}")
        for q in survey.questions:
            names = self.names[q.qid]
            may_hide = q.gid in hidden_groups or _condition(q.relevance) or q.qid in conditioned
            visible = ast.Var(names.code, "visible", NOWHERE, names.code, ()) if may_hide else None
            self._declare(q, names, visible)
            self.sgqa[f"{survey.sid}X{q.gid}X{q.qid}"] = q.code

    # ------------------------------------------------------------------ codes
    def _name(self, q: record.Question) -> Names:
        # a survey exported by qengine keeps the QDL codes LimeSurvey had to shorten
        names = Names(self.questions.add(q.attribute("qengine_code") or q.code))
        names.note("question code", q.code, names.code)
        kind = shape(q)
        opts = Codes("a", numbers_allowed=kind in ("array", "ranking"))
        kept = dict(pair.split("=", 1) for pair in q.attribute("qengine_answer_codes").split(";") if "=" in pair)
        for code, _ in options(q, self.survey):
            names.options[code] = opts.add(kept.get(code, code))
            names.note(f"answer code of {q.code}", code, names.options[code])
        if q.other and kind == "single":
            names.options["-oth-"] = opts.add("other")
        rows, columns = Codes("sq"), Codes("sq", numbers_allowed=kind == "grid")
        for s in q.rows(0):
            names.rows[s.code] = rows.add(s.code)
            names.note(f"subquestion code of {q.code}", s.code, names.rows[s.code])
        for s in q.rows(1):
            names.columns[s.code] = columns.add(s.code)
            names.note(f"subquestion code of {q.code}", s.code, names.columns[s.code])
        self.names[q.qid] = names
        return names

    def extra(self, code: str) -> str:
        """A QDL code for a question the import adds (`qother`, `qcomment`...)."""
        return self.questions.add(code)

    # -------------------------------------------------------------- variables
    def _declare(self, q: record.Question, names: Names, visible) -> None:
        c, kind = names.code, shape(q)
        numbers_only = q.attribute("numbers_only") == "1"
        labels = {code: html_to_text(text)[0] for code, text in options(q, self.survey)}

        def declare(ls_name, qdl_name, question, sub=(), **fields):
            self.variables[ls_name] = Variable(qdl_name, question, sub, visible=visible, letter=q.type, **fields)
            self.members.setdefault(q.code, []).append(ls_name)

        if kind in ("single", "five", "gender", "yesno", "language"):
            declare(q.code, c, c, kind="choice", codes=dict(names.options), labels=labels)
        elif kind == "multiple":
            for s in q.rows(0):
                sq = names.rows[s.code]
                declare(f"{q.code}_{s.code}", f"{c}_{sq}", c, (sq,), kind="check",
                        check_label=html_to_text(s.text)[0])
        elif kind == "array":
            for s in q.rows(0):
                sq = names.rows[s.code]
                declare(f"{q.code}_{s.code}", f"{c}_{sq}", c, (sq,), kind="choice", codes=dict(names.options),
                        labels=labels)
        elif kind == "dual":
            # LimeSurvey names the two answers of a row q_sq_0 and q_sq_1 (q_sq#0, q_sq#1 in SGQA)
            names.second = self.extra(f"{c}scale2")
            names.second_options = {a.code: code for a, code in zip(
                q.options(1), _codes_of(q.options(1)), strict=True)}
            second_labels = {a.code: html_to_text(a.text)[0] for a in q.options(1)}
            for s in q.rows(0):
                sq = names.rows[s.code]
                declare(f"{q.code}_{s.code}_0", f"{c}_{sq}", c, (sq,), kind="choice", codes=dict(names.options),
                        labels=labels)
                declare(f"{q.code}_{s.code}_1", f"{names.second}_{sq}", names.second, (sq,), kind="choice",
                        codes=dict(names.second_options), labels=second_labels)
        elif kind == "grid":
            for r in q.rows(0):
                for col in q.rows(1):
                    r2, c2 = names.rows[r.code], names.columns[col.code]
                    declare(f"{q.code}_{r.code}_{col.code}", f"{c}_{r2}_{c2}", c, (r2, c2), kind="number",
                            onlynum=True)
        elif kind == "ranking":
            for rank in range(1, len(names.options) + 1):
                declare(f"{q.code}_{rank}", f"{c}_r{rank}", c, (f"r{rank}",), kind="choice",
                        codes=dict(names.options), labels=labels)
        elif kind == "number" or kind in ("text", "equation") and numbers_only:
            declare(q.code, c, c, kind="number", onlynum=True)
        elif kind not in ("texts", "texts-grid", "numbers"):
            declare(q.code, c, c, kind="text")
        for ls_name, code in self._parts(q, names).items():
            numeric = kind == "numbers" or numbers_only and kind in ("texts", "texts-grid")
            part_kind = "number" if numeric and not ls_name.endswith(("comment", "other")) else "text"
            self.variables[ls_name] = Variable(code, code, (), kind=part_kind, visible=visible,
                                               onlynum=part_kind == "number", letter=q.type)
            self.members.setdefault(q.code, []).append(ls_name)
            names.parts[ls_name] = code

    def _parts(self, q: record.Question, names: Names) -> dict[str, str]:
        """The extra questions of a LimeSurvey question, by LimeSurvey variable name."""
        c, kind = names.code, shape(q)
        parts = {}
        if kind in ("texts", "numbers"):
            parts = {f"{q.code}_{s.code}": self.extra(c + names.rows[s.code]) for s in q.rows(0)}
        elif kind == "texts-grid":
            parts = {f"{q.code}_{r.code}_{col.code}": self.extra(c + names.rows[r.code] + names.columns[col.code])
                     for r in q.rows(0) for col in q.rows(1)}
        if q.type == "P":
            parts.update({f"{q.code}_{s.code}comment": self.extra(f"{c}{names.rows[s.code]}comment")
                          for s in q.rows(0)})
        if q.other and kind in ("single", "multiple"):
            parts[f"{q.code}_other"] = self.extra(f"{c}other")
            if q.type == "P":
                parts[f"{q.code}_othercomment"] = self.extra(f"{c}othercomment")
        if q.type == "O":
            parts[f"{q.code}_comment"] = self.extra(f"{c}comment")
        return parts

    def variable(self, name: str) -> Variable | None:
        """The QDL variable LimeSurvey calls `name`; None for a name LimeSurvey does
        not know either; Unconvertible for one it knows that QDL has no place for."""
        found = self.variables.get(name)
        if found is not None:
            return found
        head, sep, _ = name.partition("X")
        if sep and head.isdigit():  # an SGQA name: 12345X6X7 followed by the part's code
            for prefix, code in sorted(self.sgqa.items(), key=lambda item: -len(item[0])):
                if name.startswith(prefix):
                    suffix = name[len(prefix):].replace("#", "_")
                    return self.variable(code if not suffix else f"{code}_{suffix}")
            return None
        if name in REPLACEMENT_FIELDS or name.upper() in REPLACEMENT_FIELDS:
            raise Unconvertible(f"LimeSurvey's replacement field {name} (a QDL survey has none)")
        base = name.split("_")[0]
        q = self.by_code.get(base)
        if q is not None and shape(q) == "unsupported":
            raise Unconvertible(f"{name}: the answer of a {TYPES.get(q.type, FALLBACK).name} question")
        return None


_SELF_THAT = re.compile(r"\b(?:self|that)(?:\.[A-Za-z0-9_]+)*")
_ATTRIBUTES = {"code", "NAOK", "relevanceStatus", "shown", "valueNAOK", "value", "qid", "gid", "question",
               "sgqa", "type", "relevance", "grelevance", "qseq", "gseq", "jsName", "jsName_on", "mandatory",
               "rowdivid"}


def expand_self_that(source: str, current: str, scope: SurveyScope) -> str:
    """`self` and `that.q` replaced by the lists of variables they stand for, as
    LimeSurvey does before evaluating (`ExpandThisVar`, `GetAllVarNamesForQ`):
    `self.sq_A.NAOK` is the current question's variables whose part matches `A`,
    with `.NAOK`; `that.q.nosq_X` another question's variables but those matching X."""
    if "self" not in source and "that" not in source:
        return source
    out, last = [], 0
    for token in tokenize(source):
        if token.kind not in ("WORD", "SGQA") or not _SELF_THAT.search(token.text):
            continue
        expanded = _expand(token.text, current, scope)
        if expanded is not None:
            out.append(source[last:token.offset] + expanded)
            last = token.offset + len(token.text)
    return "".join(out) + source[last:]


def _expand(name: str, current: str, scope: SurveyScope) -> str | None:
    parts = name.split(".")
    if parts[0] == "self":
        root, parts = current, parts[1:]
    elif parts[0] == "that" and len(parts) > 1:
        root, parts = parts[1], parts[2:]
    else:
        return None
    suffix = ""
    if parts and parts[-1] in _ATTRIBUTES:
        suffix = "." + parts.pop()
    keep, drop, comments = [], [], ""
    for part in parts:
        if part in ("comments", "nocomments"):
            comments = "Y" if part == "comments" else "N"
        elif part.startswith("sq_") and len(part) > 3:
            keep.append(part[3:])
        elif part.startswith("nosq_") and len(part) > 5:
            drop.append(part[5:])
        else:
            return None
    names = []
    for var in scope.members.get(root, []):
        ext = var[len(root) + 1:] if var.startswith(root + "_") else ""
        if comments == "Y" and not var.endswith("comment") or comments == "N" and var.endswith("comment"):
            continue
        if keep and not re.search("|".join(keep), ext) or drop and re.search("|".join(drop), ext):
            continue
        names.append(var + suffix)
    return ",".join(names) if names else None


def _codes_of(answers) -> list[str]:
    codes = Codes("a", numbers_allowed=True)
    return [codes.add(a.code) for a in answers]


#: LimeSurvey's replacement fields: known to its expressions, not answers.
REPLACEMENT_FIELDS = {"SID", "GID", "QID", "SGQ", "SAVEDID", "SURVEYNAME", "SURVEYDESCRIPTION", "EXPIRY",
                      "FIRSTNAME", "LASTNAME", "EMAIL", "TOKEN", "LANG", "QUESTION", "QUESTIONHELP",
                      "ANSWERTABLE", "ASSESSMENT_CURRENT_TOTAL", "STARTDATE", "SUBMITDATE", "SITENAME"}


def _condition(relevance: str) -> bool:
    """Whether a relevance equation can hide anything ("" and "1" cannot)."""
    return relevance.strip() not in ("", "1")
