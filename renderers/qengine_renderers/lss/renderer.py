"""A QDL survey as a LimeSurvey survey structure file (`.lss`) that LimeSurvey 6
imports: `qengine render SURVEY.qdl --to lss -o SURVEY.lss`.

Each QDL kind becomes the LimeSurvey type of `qengine.kinds.attributes.type_letter`
(the letter `.type` reads; a kind it does not know, a plugin's, by the shape of its answer), written by that
shape; every
condition, validation rule, option condition and `{…}` is written in ExpressionScript
that keeps QDL's meaning (`script.ScriptWriter`). LimeSurvey limits codes (answer
codes to 5 letters and digits, question codes to 20): a longer code is shortened,
and the QDL code is kept in a question attribute (`qengine_code`,
`qengine_answer_codes`) from which `qengine import` restores it, so that a survey
exported and imported again answers with the same codes. What LimeSurvey cannot do
(an option of a list that has its own condition) is left out with a `RenderWarning`.
"""

from __future__ import annotations

import html
import warnings
import zlib
from typing import Protocol, cast

from qengine.expr import ast
from qengine.kinds.attributes import type_letter
from qengine.kinds.base import COMPOSITE, Choices, Numbers
from qengine.kinds.base import Table as Rows
from qengine.kinds.registry import kind_of
from qengine.model import Question, Survey, Text
from qengine.renderers.errors import RenderError, RenderWarning
from qengine_renderers.lss.document import Table, write
from qengine_renderers.lss.script import ScriptWriter, Unexportable

THEMES = {"L": "listradio", "M": "multiplechoice", "F": "arrays/array", ":": "arrays/multiflexi",
          "N": "numerical", "S": "shortfreetext", "T": "longfreetext", "D": "date", "*": "equation",
          "X": "boilerplate"}
FORMATS = {"group": "G", "question": "S", "all": "A"}
#: LimeSurvey's limits on codes (the Answer and Question models, the questions table).
ANSWER_CODE, QUESTION_CODE = 5, 20


class LssRenderer:
    """The survey as a LimeSurvey 6 survey structure file."""

    summary = "LimeSurvey survey structure (.lss) for LimeSurvey 6 to import"
    formats = ("lss",)

    def render(self, survey: Survey, format: str) -> str:
        if format != "lss":
            raise RenderError(f"the lss renderer writes lss, not {format}")
        return _Export(survey).document()


def shorten(code: str, limit: int, taken: set[str]) -> str:
    """`code` cut to `limit` characters, made unique (case aside) by a number."""
    if code[:limit].lower() not in taken:
        taken.add(code[:limit].lower())
        return code[:limit]
    n = 2
    while True:
        suffix = str(n)
        candidate = code[: limit - len(suffix)] + suffix
        if candidate.lower() not in taken:
            taken.add(candidate.lower())
            return candidate
        n += 1


class _Export:
    def __init__(self, survey: Survey):
        self.survey = survey
        self.sid = 100000 + zlib.crc32(survey.code.encode()) % 900000
        self.language = survey.language
        taken: set[str] = set()
        self.codes = {q.code: shorten(q.code, QUESTION_CODE, taken) for q in survey.questions}
        self.answer_codes: dict[str, dict[str, str]] = {}
        for q in survey.questions:
            shape = kind_of(q).shape
            if shape in ("choice", "row_choice"):  # answers with codes, which LimeSurvey limits
                own: set[str] = set()
                items = cast(Choices, q).options if shape == "choice" else cast(Rows, q).columns
                self.answer_codes[q.code] = {i.code: shorten(i.code, ANSWER_CODE, own) for i in items}
        self.script = ScriptWriter(survey, self.codes, self.answer_codes)
        self.tables = {name: Table(name, fields) for name, fields in _FIELDS.items()}
        self.ids = {"qid": 0, "aid": 0, "dvid": 0, "l10n": 0, "answer_l10n": 0, "dv_l10n": 0}

    def next(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    # ------------------------------------------------------------ texts
    def text(self, t: Text | None, where: str) -> str:
        if t is None:
            return ""
        out = []
        for p in t.parts:
            if isinstance(p, str):
                out.append(html.escape(p, quote=False).replace("\n", "<br />\n"))
            else:
                out.append("{" + self.expr(p, where, "") + "}")
        return "".join(out)

    def expr(self, e: ast.Expr | None, where: str, fallback: str = "1") -> str:
        if e is None:
            return fallback
        try:
            return self.script.write(e)
        except Unexportable as err:
            warnings.warn(RenderWarning(f"{where}: {ast.unparse(e)} cannot be written for LimeSurvey ({err}); "
                                        f"written as {fallback or 'nothing'}"), stacklevel=2)
            return fallback

    # -------------------------------------------------------------- survey
    def document(self) -> str:
        s = self.survey
        t = self.tables
        t["surveys"].add(sid=self.sid, gsid=1, admin="", adminemail="", anonymized="N",
                         format=FORMATS.get(s.format, "G"), savetimings="N", template="inherit",
                         language=self.language, additional_languages="", datestamp="N", usecookie="N",
                         allowregister="N", allowsave="Y", autonumber_start=0, autoredirect="N", allowprev="Y",
                         printanswers="N", ipaddr="N", refurl="N", publicstatistics="N", publicgraphs="N",
                         listpublic="N", htmlemail="Y", sendconfirmation="N", tokenanswerspersistence="N",
                         assessments="N", usecaptcha="N", usetokens="N", showxquestions="Y", showgroupinfo="B",
                         shownoanswer="N", showqnumcode="X", showwelcome="Y" if s.welcome else "N",
                         showprogress="Y", questionindex=0, navigationdelay=0, nokeyboard="N",
                         alloweditaftercompletion="N")
        t["surveys_languagesettings"].add(
            surveyls_survey_id=self.sid, surveyls_language=self.language,
            surveyls_title=self.text(s.title, "the title") or s.code, surveyls_description="",
            surveyls_welcometext=self.text(s.welcome, "the welcome text"),
            surveyls_endtext=self.text(s.end, "the end text"), surveyls_dateformat=1, surveyls_numberformat=0)
        for order, g in enumerate(s.groups, 1):
            gid = order
            t["groups"].add(gid=gid, sid=self.sid, group_order=order, randomization_group="",
                            grelevance=self.expr(g.condition, f"group {g.code}", ""))
            t["group_l10ns"].add(id=order, gid=gid, group_name=self.text(g.title, f"group {g.code}"),
                                 description=self.text(g.description, f"group {g.code}"), language=self.language)
            for position, code in enumerate(g.questions, 1):
                self.question(s.by_code[code], gid, position)
        return write(list(t.values()), [self.language])

    # ------------------------------------------------------------ questions
    def question(self, q: Question, gid: int, order: int) -> None:
        kind = kind_of(q)
        qtype = type_letter(q)
        qid = self.next("qid")
        code = self.codes[q.code]
        preg = ""
        pattern = kind.pattern(q)
        if pattern:
            preg = "/^(?:" + pattern.replace("/", "\\/") + ")$/"
        self.tables["questions"].add(
            qid=qid, parent_qid=0, sid=self.sid, gid=gid, type=qtype, title=code, preg=preg, other="N",
            mandatory="Y" if q.mandatory and q.is_input else "N", encrypted="N", question_order=order, scale_id=0,
            same_default=0, relevance=self.expr(q.condition, q.code), question_theme_name=THEMES[qtype],
            modulename="", same_script=0)
        text = self.text(q.text, q.code)
        if q.formula is not None:
            text = "{" + self.expr(q.formula, q.code, "''") + "}"
        self.l10n(qid, text, self.text(q.help, q.code))
        if code != q.code:
            self.attribute(qid, "qengine_code", q.code)
        renamed = {qdl: ls for qdl, ls in self.answer_codes.get(q.code, {}).items() if qdl != ls}
        if renamed:
            self.attribute(qid, "qengine_answer_codes", ";".join(f"{ls}={qdl}" for qdl, ls in renamed.items()))
        match kind.shape:
            case "choice":
                choice = cast(Choices, q)
                for i, o in enumerate(choice.options, 1):
                    self.answer(qid, self.answer_codes[q.code][o.code], self.text(o.label, q.code), i)
                    if o.condition is not None:
                        warnings.warn(RenderWarning(
                            f"{q.code}: option {o.code} has a condition, which a LimeSurvey list cannot have: "
                            "it is always offered there"), stacklevel=2)
                default = getattr(q, "default", None)  # a single choice's, not a multiple one's
                if default is not None:
                    self.default(qid, 0, self.answer_codes[q.code].get(default, default))
            case "choices":
                ticks = cast(_Ticks, q)
                for i, o in enumerate(ticks.options, 1):
                    self.subquestion(q, qid, gid, o.code, self.text(o.label, q.code), o.condition, i, 0)
                exclusive = [o.code for o in ticks.options if o.exclusive]
                if exclusive:
                    self.attribute(qid, "exclude_all_others", ";".join(exclusive))
                if ticks.min is not None:
                    self.attribute(qid, "min_answers", ticks.min)
                if ticks.max is not None:
                    self.attribute(qid, "max_answers", ticks.max)
            case "row_choice":
                table = cast(Rows, q)
                for i, r in enumerate(table.rows, 1):
                    self.subquestion(q, qid, gid, r.code, self.text(r.label, q.code), r.condition, i, 0)
                for i, c in enumerate(table.columns, 1):
                    self.answer(qid, self.answer_codes[q.code][c.code], self.text(c.label, q.code), i)
            case "row_cells":
                grid = cast(_Grid, q)
                rows = [self.subquestion(q, qid, gid, r.code, self.text(r.label, q.code), r.condition, i, 0)
                        for i, r in enumerate(grid.rows, 1)]
                for i, c in enumerate(grid.columns, 1):
                    self.subquestion(q, qid, gid, c.code, self.text(c.label, q.code), None, i, 1)
                self.bounds(qid, grid)
                if grid.default is not None:
                    for sqid in rows:
                        self.default(qid, sqid, _number(grid.default))
            case "number":
                number = cast(_Number, q)
                if number.integer:
                    self.attribute(qid, "num_value_int_only", 1)
                if number.min is not None:
                    self.attribute(qid, "min_num_value_n", _number(number.min))
                if number.max is not None:
                    self.attribute(qid, "max_num_value_n", _number(number.max))
                for word in ("prefix", "suffix"):
                    part = getattr(q, word, None)
                    if part is not None:
                        self.attribute(qid, word, self.text(part, q.code), self.language)
                if number.default is not None:
                    self.default(qid, 0, _number(number.default))
            case "text":
                free = cast(_Text, q)
                if free.max_length is not None:
                    self.attribute(qid, "maximum_chars", free.max_length)
                if free.default is not None:
                    self.default(qid, 0, free.default)
                if kind_of(q).widget.input_type == "date":  # exported as type D
                    self.attribute(qid, "date_format", "yyyy-mm-dd")
                    for bound, attribute in (("min", "date_min"), ("max", "date_max")):
                        if getattr(q, bound, None) is not None:
                            self.attribute(qid, attribute, getattr(q, bound))
        if q.formula is not None:  # computed, never shown
            self.attribute(qid, "hidden", 1)
        if q.validations:
            self.validations(qid, q)

    def bounds(self, qid: int, q: Numbers) -> None:
        small = q.min is not None and q.max is not None and 0 <= q.max - q.min <= 100
        if not small:
            self.attribute(qid, "input_boxes", 1)
            self.attribute(qid, "num_value_int_only", 1)
        if q.min is not None:
            self.attribute(qid, "multiflexible_min", _number(q.min))
        if q.max is not None:
            self.attribute(qid, "multiflexible_max", _number(q.max))
        if small:
            self.attribute(qid, "multiflexible_step", 1)

    def validations(self, qid: int, q: Question) -> None:
        """QDL checks a rule once the question is answered; LimeSurvey always: the
        equation says so itself."""
        rules = " and ".join(f"({self.expr(v.rule, q.code)})" for v in q.validations)
        parts = self.script.parts(q)
        unanswered = f"is_empty({parts[0]}.NAOK)" if len(parts) == 1 and kind_of(q).shape not in COMPOSITE \
            else f"(count({', '.join(p + '.NAOK' for p in parts)}) == 0)"
        self.attribute(qid, "em_validation_q", f"{unanswered} or ({rules})")
        self.attribute(qid, "em_validation_q_tip", " ".join(self.text(v.message, q.code) for v in q.validations),
                       self.language)

    # --------------------------------------------------------------- rows
    def l10n(self, qid: int, question: str, helptext: str) -> None:
        self.tables["question_l10ns"].add(id=self.next("l10n"), qid=qid, question=question, help=helptext,
                                          script="", language=self.language)

    def subquestion(self, q, parent: int, gid: int, code: str, label: str, condition, order: int, scale: int) -> int:
        qid = self.next("qid")
        self.tables["subquestions"].add(
            qid=qid, parent_qid=parent, sid=self.sid, gid=gid, type=type_letter(q), title=code, preg="",
            other="N", mandatory="", encrypted="N", question_order=order, scale_id=scale, same_default=0,
            relevance=self.expr(condition, f"{q.code}_{code}"), question_theme_name=THEMES[type_letter(q)],
            modulename="", same_script=0)
        self.l10n(qid, label, "")
        return qid

    def answer(self, qid: int, code: str, label: str, order: int) -> None:
        aid = self.next("aid")
        self.tables["answers"].add(aid=aid, qid=qid, code=code, sortorder=order, assessment_value=0, scale_id=0)
        self.tables["answer_l10ns"].add(id=self.next("answer_l10n"), aid=aid, answer=label, language=self.language)

    def attribute(self, qid: int, name: str, value, language: str = "") -> None:
        self.tables["question_attributes"].add(qid=qid, attribute=name, value=value, language=language)

    def default(self, qid: int, sqid: int, value) -> None:
        dvid = self.next("dvid")
        self.tables["defaultvalues"].add(dvid=dvid, qid=qid, scale_id=0, sqid=sqid, specialtype="")
        self.tables["defaultvalue_l10ns"].add(id=self.next("dv_l10n"), dvid=dvid, language=self.language,
                                              defaultvalue=value)


# What the export reads of a question, by the shape of its answer (beyond `Choices`,
# `Table`, here `Rows`, and `Numbers`).
class _Ticks(Choices, Protocol):
    @property
    def min(self) -> int | None: ...

    @property
    def max(self) -> int | None: ...


class _Grid(Rows, Numbers, Protocol):
    @property
    def default(self) -> int | float | None: ...


class _Number(Numbers, Protocol):
    @property
    def default(self) -> int | float | None: ...


class _Text(Protocol):
    @property
    def max_length(self) -> int | None: ...

    @property
    def default(self) -> str | None: ...


def _number(value) -> str:
    return ast.unparse(ast.Literal(value, None))  # type: ignore[arg-type]  # no source: only unparsed


_FIELDS = {
    "answers": ["aid", "qid", "code", "sortorder", "assessment_value", "scale_id"],
    "answer_l10ns": ["id", "aid", "answer", "language"],
    "defaultvalues": ["dvid", "qid", "scale_id", "sqid", "specialtype"],
    "defaultvalue_l10ns": ["id", "dvid", "language", "defaultvalue"],
    "groups": ["gid", "sid", "group_order", "randomization_group", "grelevance"],
    "group_l10ns": ["id", "gid", "group_name", "description", "language"],
    "questions": ["qid", "parent_qid", "sid", "gid", "type", "title", "preg", "other", "mandatory", "encrypted",
                  "question_order", "scale_id", "same_default", "relevance", "question_theme_name", "modulename",
                  "same_script"],
    "subquestions": ["qid", "parent_qid", "sid", "gid", "type", "title", "preg", "other", "mandatory",
                     "encrypted", "question_order", "scale_id", "same_default", "relevance",
                     "question_theme_name", "modulename", "same_script"],
    "question_l10ns": ["id", "qid", "question", "help", "script", "language"],
    "question_attributes": ["qid", "attribute", "value", "language"],
    "surveys": ["sid", "gsid", "admin", "adminemail", "anonymized", "format", "savetimings", "template",
                "language", "additional_languages", "datestamp", "usecookie", "allowregister", "allowsave",
                "autonumber_start", "autoredirect", "allowprev", "printanswers", "ipaddr", "refurl",
                "publicstatistics", "publicgraphs", "listpublic", "htmlemail", "sendconfirmation",
                "tokenanswerspersistence", "assessments", "usecaptcha", "usetokens", "showxquestions",
                "showgroupinfo", "shownoanswer", "showqnumcode", "showwelcome", "showprogress", "questionindex",
                "navigationdelay", "nokeyboard", "alloweditaftercompletion"],
    "surveys_languagesettings": ["surveyls_survey_id", "surveyls_language", "surveyls_title",
                                 "surveyls_description", "surveyls_welcometext", "surveyls_endtext",
                                 "surveyls_dateformat", "surveyls_numberformat"],
}
