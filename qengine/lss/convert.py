"""A LimeSurvey survey record made into a QDL outline.

`Converter` walks the groups and questions of a `record.Survey`, builds each
question by its type's shape (`kinds.TYPES`), translates every relevance,
validation, filter and `{…}` through `qengine.lss.translate`, and notes whatever it
cannot carry over (`notes.Notes`), next to the question concerned.
"""

from __future__ import annotations

import re

import attrs

from qengine.errors import EvaluationError
from qengine.expr import ast
from qengine.expr.evaluate import evaluate
from qengine.expr.values import truthy
from qengine.lss import conditions, record
from qengine.lss.kinds import FALLBACK, TYPES
from qengine.lss.notes import Notes
from qengine.lss.scope import Names, SurveyScope, expand_self_that, options, shape
from qengine.lss.texts import convert as convert_text
from qengine.lss.texts import html_to_text
from qengine.lss.translate.cases import FALSE, call, compare, conj, lit, neg
from qengine.lss.translate.translator import LimeSurveyError, Unconvertible, condition, python_pattern, text
from qengine.lss.writer import QdlGroup, QdlQuestion, QdlSurvey, raw
from qengine.lss.writer import text as quote
from qengine.model import reads
from qengine.span import NOWHERE

FORMATS = {"G": "group", "S": "question", "A": "all"}
#: How LimeSurvey's date questions are typed here, until QDL has a date kind.

#: Attributes that only change how LimeSurvey lays a question out: not converted, not warned about.
PRESENTATION = {
    "alphasort", "answer_order", "answer_width", "answer_width_bycolumn", "array_filter_style",
    "assessment_value", "category_separator", "choice_title", "clear_default", "commented_checkbox",
    "commented_checkbox_auto", "cssclass", "date_format", "display_columns", "display_rows", "display_type",
    "dropdown_dates", "dropdown_dates_minute_step", "dropdown_dates_month_style", "dropdown_prefix",
    "dropdown_prepostfix", "dropdown_separators", "dropdown_size", "exclude_all_others_auto", "hide_tip",
    "input_size", "label_input_columns", "location_city", "location_country", "location_defaultcoordinates",
    "location_mapheight", "location_mapservice", "location_mapwidth", "location_mapzoom", "location_nodefaultfromip",
    "location_postal", "location_state", "max_subquestions", "other_position", "other_position_code",
    "page_break", "parent_order", "placeholder", "printable_help", "public_statistics", "question_template",
    "random_group", "random_order", "rank_title", "repeat_headings", "reverse", "same_script", "samechoiceheight",
    "samelistheight", "scale_export", "show_grand_total", "show_totals", "showpopups", "slider_accuracy",
    "slider_custom_handle", "slider_default", "slider_default_set", "slider_handle", "slider_layout",
    "slider_max", "slider_middlestart", "slider_min", "slider_orientation", "slider_rating", "slider_reset",
    "slider_separator", "slider_showminmax", "statistics_graphtype", "statistics_showgraph", "statistics_showmap",
    "text_input_columns", "text_input_width", "use_dropdown", "value_range_allows_missing", "image",
    "hidden", "relevance", "encrypted", "save_as_default", "question_theme_name", "time_limit_countdown_message",
    "time_limit_message", "time_limit_message_delay", "time_limit_message_style", "time_limit_timer_style",
    "time_limit_warning", "time_limit_warning_2", "time_limit_warning_2_display_time",
    "time_limit_warning_2_message", "time_limit_warning_2_style", "time_limit_warning_display_time",
    "time_limit_warning_message", "time_limit_warning_style", "time_limit_disable_next",
    "time_limit_disable_prev", "time_limit_action",
}
#: What the builders apply.
APPLIED = {
    "array_filter", "array_filter_exclude", "em_validation_q", "em_validation_q_tip", "em_validation_sq",
    "em_validation_sq_tip", "exclude_all_others", "maximum_chars", "max_answers", "min_answers",
    "max_num_value_n", "min_num_value_n", "max_num_value", "min_num_value", "equals_num_value",
    "num_value_int_only", "numbers_only", "multiflexible_min", "multiflexible_max", "multiflexible_step",
    "multiflexible_checkbox", "input_boxes", "prefix", "suffix", "other_replace_text", "dualscale_headerA",
    "dualscale_headerB", "qengine_code", "qengine_answer_codes", "date_min", "date_max",
}
MESSAGES = {
    "en": {"other": "Other", "comment": "Comment", "rank": "Rank {n}", "min": "Please give at least {n} answers.",
           "max": "Please give at most {n} answers.", "twice": "Each choice can be ranked only once.",
           "sum_min": "The total must be at least {n}.", "sum_max": "The total must be at most {n}.",
           "sum_eq": "The total must be {n}.", "invalid": "This answer is not valid.",
           "step": "The value must be a multiple of {n}."},
    "fr": {"other": "Autre", "comment": "Commentaire", "rank": "Rang {n}",
           "min": "Veuillez donner au moins {n} réponses.", "max": "Veuillez donner au plus {n} réponses.",
           "twice": "Chaque choix ne peut être classé qu'une fois.", "sum_min": "Le total doit être au moins {n}.",
           "sum_max": "Le total doit être au plus {n}.", "sum_eq": "Le total doit être {n}.",
           "invalid": "Cette réponse n'est pas valide.", "step": "La valeur doit être un multiple de {n}."},
}


def _qdl_language(language: str) -> str:
    code = re.sub(r"[^A-Za-z0-9]", "", language.split("-")[0])
    return code if code[:1].isalpha() else "en"


class Converter:
    def __init__(self, survey: record.Survey, notes: Notes):
        self.survey = survey
        self.notes = notes
        self.scope = SurveyScope(survey)
        self.words = MESSAGES["fr" if survey.language.startswith("fr") else "en"]
        types = {q.qid: q.type for q in survey.questions}
        by_sgqa = {f"{survey.sid}X{q.gid}X{q.qid}": q.code for q in survey.questions}
        self.by_qid = {q.qid: q for q in survey.questions}
        self.from_conditions = conditions.relevance(list(survey.conditions), types,
                                                    _SgqaNames(by_sgqa, self.scope))
        self.html_dropped: dict[str, int] = {}
        self.current: QdlQuestion | None = None
        self.items: dict[str, dict[str, ast.Expr]] = {}  # qid -> row or option code -> condition
        self.pending: dict[str, list[str]] = {}  # qid -> comments noted before the question is built

    # -------------------------------------------------------------- outline
    def outline(self) -> QdlSurvey:
        s = self.survey
        out = QdlSurvey(code=self.scope.questions.add(f"s{s.sid}" if s.sid.isdigit() else "survey"),
                        title=self.parts(s.title, "the survey title") or [f"s{s.sid}"],
                        language=_qdl_language(s.language), format=FORMATS.get(s.format, "group"),
                        welcome=self.parts(s.welcome or s.description, "the welcome text") or None,
                        end=self.parts(s.end, "the end text") or None)
        groups = {}
        for g in s.groups:
            group = QdlGroup(self.scope.group_codes[g.gid], self.parts(g.title, "a group title") or [""],
                             self.parts(g.description, "a group description") or None)
            group.condition = self.condition(g.relevance, "", g.line, "group relevance")
            out.groups.append(group)
            groups[g.gid] = group
        for q in s.questions:
            self._prepare_items(q)
        for q in s.questions:
            group = groups[q.gid]
            group.questions.extend(self.question(q))
        out.groups = [g for g in out.groups if g.questions or g.description]
        for group in list(out.groups):
            if not group.questions:
                group.questions.append(QdlQuestion("display", self.scope.extra(f"{group.code}text"),
                                                   group.description))
                group.description = None
        return out

    # ------------------------------------------------------- translations
    def _note(self, message: str, line: int, question: str) -> None:
        self.notes.add(message, line, question)
        if self.current is not None:
            self.current.comments.append(f"warning: {message}")

    def condition(self, source: str, question: str, line: int, what: str,
                  shown: frozenset[str] = frozenset()) -> ast.Expr | None:
        """A relevance (or validation) equation as a QDL condition; None for "always".
        `shown`: QDL questions known to be shown where it is evaluated."""
        source = (source or "").strip()
        if source in ("", "1"):
            return None
        source = expand_self_that(source, question, self.scope)
        try:
            t = condition(source, self.scope, shown)
        except LimeSurveyError as err:
            self._note(f"the {what} `{_one_line(source)}` cannot be evaluated by LimeSurvey ({err}): it is "
                       "always false there, and so it is here", line, question)
            return FALSE
        except Unconvertible as err:
            self._note(f"the {what} `{_one_line(source)}` is not converted: {err}; the import leaves it out "
                       "(always true)", line, question)
            return None
        for n in t.notes:
            self._note(f"the {what} `{_one_line(source)}` is converted approximately: {n}", line, question)
        if isinstance(t.expr, ast.Literal) and t.expr.value is True:
            return None
        return t.expr

    def parts(self, html_text: str, what: str, question: str = "", line: int = 0) -> list:
        """A LimeSurvey text as QDL text parts."""
        pieces, dropped = convert_text(html_text or "")
        for tag in dropped:
            self.html_dropped[tag] = self.html_dropped.get(tag, 0) + 1
        out: list = []
        for piece in pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            source = expand_self_that(piece[0], question, self.scope)
            try:
                t = text(source, self.scope)
            except LimeSurveyError as err:
                self._note(f"in {what}, `{{{_one_line(source)}}}` cannot be evaluated by LimeSurvey ({err}): "
                           "respondents read nothing there, and so here", line, question)
                continue
            except Unconvertible as err:
                self._note(f"in {what}, `{{{_one_line(source)}}}` is not converted: {err}; left out", line,
                           question)
                continue
            for n in t.notes:
                self._note(f"in {what}, `{{{_one_line(source)}}}` is converted approximately: {n}", line, question)
            if isinstance(t.expr, ast.Literal) and isinstance(t.expr.value, str):
                out.append(t.expr.value)
            else:
                out.append(t.expr)
        return out

    def plain(self, html_text: str) -> str:
        return html_to_text(html_text or "")[0]

    # -------------------------------------------------------------- questions
    def question(self, q: record.Question) -> list[QdlQuestion]:
        names = self.scope.names[q.qid]
        t = TYPES.get(q.type, FALLBACK)
        main = QdlQuestion("display", names.code)
        self.current = main
        main.comments.extend(names.renamed)
        main.comments.extend(self.pending.get(q.qid, ()))
        relevance = self.from_conditions.get(q.qid)
        if relevance is not None and q.relevance.strip() not in ("", "1") and \
                q.relevance.strip() != relevance.strip():
            main.comments.append(f"LimeSurvey rebuilds this relevance from its conditions table: {relevance}")
        source = relevance if relevance is not None else q.relevance
        when = self.condition(source, q.code, q.line, "relevance")
        if q.attribute("hidden") == "1" and t.shape not in ("equation", "display", "unsupported"):
            questions = self._hidden(q, names, main, t.shape)
            for part in questions:
                part.condition = conj(when, part.condition)
            self.current = None
            return questions
        builder = getattr(self, "build_" + t.shape.replace("-", "_"))
        if t.differs and t.shape in ("unsupported", "date", "ranking", "language", "dual", "texts-grid"):
            self._note(f"type {q.type} ({t.name}): {t.differs}", q.line, q.code)
        questions = builder(q, names, main)
        for part in questions:
            part.condition = conj(when, part.condition)
        self._attributes(q)
        self.current = None
        return [x for x in questions if x.kind != "omit"]

    def _hidden(self, q, names: Names, out: QdlQuestion, kind: str) -> list[QdlQuestion]:
        """A question LimeSurvey never shows (attribute hidden): its answer is its
        default, which an equation holds."""
        if kind in ("single", "five", "gender", "yesno", "language", "number", "text", "longtext", "date"):
            default = self._default(q)
            value = names.options.get(default, default) if default is not None else ""
            out.kind = "equation"
            literal = lit(int(value) if kind == "number" and re.fullmatch(r"-?\d+", value) else value)
            out.lines.append(f"value {ast.unparse(literal)}")
            self._note("hidden in LimeSurvey (attribute hidden): an equation holds its default answer "
                       f"({value!r})", q.line, q.code)
            return [out]
        self._note("hidden in LimeSurvey (attribute hidden): QDL shows it (its parts have no equation form)",
                   q.line, q.code)
        return getattr(self, "build_" + kind.replace("-", "_"))(q, names, out)

    def _common(self, q: record.Question, out: QdlQuestion, answered: bool = True) -> None:
        """Text, help and mandatory, which every question has."""
        out.text = self.parts(q.text, "the question text", q.code, q.line)
        helptext = self.parts(q.help, "the help text", q.code, q.line)
        if answered and q.mandatory:
            out.lines.append("mandatory")
        if helptext:
            out.lines.append(f"help {_quote(helptext)}")

    def _attributes(self, q: record.Question) -> None:
        for name, value in sorted(q.attributes.items()):
            if name in APPLIED or name in PRESENTATION or value.strip() in ("", "0"):
                continue
            self._note(f"the attribute {name} = {_one_line(value)!r} is not converted", q.line, q.code)

    def _validations(self, q: record.Question, out: QdlQuestion, this: list[str]) -> None:
        """em_validation_q and em_validation_sq, with `this` read as LimeSurvey reads it."""
        rule, tip = q.attribute("em_validation_q"), q.attributes.get("em_validation_q_tip", "")
        if rule:
            per_part = [re.sub(r"\bthis\b", name, rule) for name in this] or [rule]
            self._validate(q, out, " and ".join(f"({r})" for r in per_part), tip, "validation equation")
        rule, tip = q.attribute("em_validation_sq"), q.attributes.get("em_validation_sq_tip", "")
        if rule:
            per_part = [re.sub(r"\bthis\b", name, rule) for name in this] or [rule]
            self._validate(q, out, " and ".join(f"({r})" for r in per_part), tip,
                           "subquestion validation equation")

    def _validate(self, q, out: QdlQuestion, source: str, tip_html: str, what: str) -> None:
        # a rule is checked on a shown question: its own answers need no guard
        own = frozenset({out.code, *self.scope.names[q.qid].parts.values()})
        rule = self.condition(source, q.code, q.line, what, own)
        if rule is None:
            return
        if not _allows_unanswered(rule, own):
            self._note(f"LimeSurvey checks the {what} also when the question is left unanswered; QDL checks it "
                       "once the question is answered (make the question mandatory if it must be answered)",
                       q.line, q.code)
        message = self.parts(tip_html, "the validation tip", q.code, q.line) or [self.words["invalid"]]
        out.lines.append(f"validate {ast.unparse(rule)}")
        out.lines.append(f"  message {_quote(message)}")

    def _prepare_items(self, q: record.Question) -> None:
        """The conditions of every question's rows and options, before any question is
        built: a condition reading `q_sq` without `.NAOK` is false in LimeSurvey while
        that row is filtered out, so the row's condition is part of its variable's
        visibility (`translate.Variable.visible`)."""
        names = self.scope.names[q.qid]
        kind = "options" if shape(q) in ("single", "five", "gender", "yesno", "language", "ranking") else "rows"
        self.current = QdlQuestion("display", names.code)
        conditions = self._item_conditions(q, names, kind, cached=False)
        self.pending[q.qid] = self.current.comments
        self.current = None
        self.items[q.qid] = conditions
        if kind != "rows":
            return
        for s in q.rows(0):
            cond = conditions.get(s.code)
            if cond is None:
                continue
            for name, var in list(self.scope.variables.items()):
                if name == f"{q.code}_{s.code}" or name.startswith(f"{q.code}_{s.code}_"):
                    self.scope.variables[name] = attrs.evolve(var, visible=conj(var.visible, cond))

    def _item_conditions(self, q: record.Question, names: Names, kind: str,
                         cached: bool = True) -> dict[str, ast.Expr]:
        """The condition of each row or option (LimeSurvey code -> QDL condition): its
        own relevance, and the array filters."""
        if cached:
            return self.items.get(q.qid, {})
        out: dict[str, ast.Expr] = {}
        items = q.rows(0) if kind == "rows" else [a for a in q.options(0)]
        for item in items:
            code = item.code
            cond = None
            relevance: str = getattr(item, "relevance", "")  # a subquestion's; an answer has none
            if kind == "rows" and relevance.strip() not in ("", "1"):
                cond = self.condition(relevance, q.code, item.line, f"relevance of subquestion {code}")
            filt = self._array_filter(q, code)
            cond = conj(cond, filt)
            if cond is not None and names.code in reads([cond]):
                self._note(f"the condition of {code} reads the question's own answers, which QDL cannot "
                           "(a cycle): left out, the row or option is always offered", q.line, q.code)
                cond = None
            if cond is not None:
                out[code] = cond
        return out

    def _array_filter(self, q: record.Question, code: str) -> ast.Expr | None:
        """LimeSurvey's array_filter and array_filter_exclude for the row `code`,
        with the filters of the filtering questions (cascading), as LimeSurvey builds them."""
        shown, hidden = self._cascade(q.code)
        out = None
        for source in shown:
            test = self._filter_test(source, code, exclude=False)
            out = conj(out, test)
        for source in hidden:
            test = self._filter_test(source, code, exclude=True)
            out = conj(out, test)
        return out

    def _cascade(self, code: str, shown=None, hidden=None):
        shown, hidden = shown if shown is not None else [], hidden if hidden is not None else []
        q = next((x for x in self.survey.questions if x.code == code), None)
        if q is None:
            return shown, hidden
        for name, bucket in (("array_filter", shown), ("array_filter_exclude", hidden)):
            for source in filter(None, (s.strip() for s in q.attribute(name).split(";"))):
                if source not in bucket:
                    bucket.append(source)
                    self._cascade(source, shown, hidden)
        return shown, hidden

    def _filter_test(self, source: str, code: str, exclude: bool) -> ast.Expr | None:
        var = self.scope.variable(f"{source}_{code}")
        src = next((x for x in self.survey.questions if x.code == source), None)
        if src is None:
            self._note(f"array filter on '{source}', which is not a question of the survey: left out",
                       0, "")
            return None
        if var is None:
            return None
        v = var.qdl
        if src.type == ":" and src.attribute("multiflexible_checkbox") == "1":
            return compare("!=" if exclude else "==", v, lit(1))
        empty = call("is_empty", v)
        return empty if exclude else neg(empty)

    # ---------------------------------------------------------------- shapes
    def build_single(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        out.kind = "single"
        self._common(q, out)
        conds = self._item_conditions(q, names, "options")
        default = self._default(q)
        if default is not None and default in names.options:
            out.lines.append(f"default {names.options[default]}")
        elif default:
            self._note(f"the default answer {default!r} is not one of the options: left out", q.line, q.code)
        for code, html_label in options(q, self.survey):
            out.lines.append(self._item("-", names.options[code], html_label, conds.get(code), q))
        extra = []
        if q.other:
            other_label = q.attribute("other_replace_text") or self.words["other"]
            out.lines.append(f"- {names.options['-oth-']} {_quote(self.parts(other_label, 'the other label'))}")
            extra.append(self._other(q, names, compare("==", ast.Var(names.code, "value", NOWHERE, names.code),
                                                       lit(names.options["-oth-"]))))
        if q.type == "O":
            comment = QdlQuestion("longtext", names.parts[f"{q.code}_comment"], [self.words["comment"]])
            extra.append(comment)
        self._validations(q, out, [q.code])
        return [out, *extra]

    def build_five(self, q, names, out):
        return self.build_single(q, names, out)

    build_gender = build_yesno = build_language = build_five

    def _other(self, q, names: Names, when: ast.Expr | None) -> QdlQuestion:
        code = names.parts[f"{q.code}_other"]
        caption = self.plain(q.attribute("other_replace_text")) or self.words["other"]
        return QdlQuestion("text", code, [f"{caption}:"], condition=when)

    def build_multiple(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        out.kind = "multiple"
        self._common(q, out)
        conds = self._item_conditions(q, names, "rows")
        exclusive = {c.strip() for c in q.attribute("exclude_all_others").split(";") if c.strip()}
        for n in ("min_answers", "max_answers"):
            value = q.attribute(n)
            if value.isdigit() and int(value) > 0:
                out.lines.append(f"{n[:3]} {value}")
            elif value:
                self._note(f"{n} = {value!r} is not a whole number: not converted", q.line, q.code)
        for s in q.rows(0):
            line = self._item("-", names.rows[s.code], s.text, conds.get(s.code), q,
                              exclusive=s.code in exclusive)
            out.lines.append(line)
        if any(d.value == "Y" for d in q.defaults):
            self._note("ticked by default in LimeSurvey: QDL multiple choices have no default ticks", q.line,
                       q.code)
        extra = []
        if q.type == "P":
            for s in q.rows(0):
                code = names.parts[f"{q.code}_{s.code}comment"]
                sq = names.rows[s.code]
                ticked = neg(call("is_empty", ast.Var(f"{names.code}_{sq}", "value", NOWHERE, names.code, (sq,))))
                extra.append(QdlQuestion("text", code, [f"{self.plain(s.text)} — {self.words['comment']}"],
                                         condition=ticked))
        if q.other:
            extra.append(self._other(q, names, None))
        self._validations(q, out, [f"{q.code}_{s.code}" for s in q.rows(0)])
        return [out, *extra]

    def build_array(self, q, names: Names, out: QdlQuestion, scale: int = 0) -> list[QdlQuestion]:
        out.kind = "array"
        self._common(q, out)
        conds = self._item_conditions(q, names, "rows")
        for s in q.rows(0):
            out.lines.append(self._item("row", names.rows[s.code], s.text, conds.get(s.code), q))
        if q.type == "A":
            out.lines.append("scale 1 to 5")
        elif q.type == "B":
            out.lines.append("scale 1 to 10")
        else:
            opts = options(q, self.survey) if scale == 0 else [(a.code, a.text) for a in q.options(1)]
            for code, html_label in opts:
                out.lines.append(f"column {names.options.get(code, code)} {_quote(self.parts(html_label, 'a column label'))}")
        self._answer_counts(q, out, [f"{q.code}_{s.code}" for s in q.rows(0)])
        self._validations(q, out, [f"{q.code}_{s.code}" for s in q.rows(0)])
        if any(d.value for d in q.defaults):
            self._note("default answers of array rows are not converted", q.line, q.code)
        return [out]

    def _answer_counts(self, q, out: QdlQuestion, variables: list[str]) -> None:
        for n, op, word in (("min_answers", ">=", "min"), ("max_answers", "<=", "max")):
            value = q.attribute(n)
            if value.isdigit() and int(value) > 0:
                out.lines.append(f"validate count({out.code}) {op} {value}")
                out.lines.append(f"  message {_quote([self.words[word].format(n=value)])}")

    def build_dual(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        first = self.build_array(q, names, out)
        header_a, header_b = q.attribute("dualscale_headerA"), q.attribute("dualscale_headerB")
        second = QdlQuestion("array", names.second)
        second.text = self.parts(q.text, "the question text", q.code, q.line) + ([" — "] + self.parts(header_b, "a header")
                                                                               if header_b else [])
        if header_a:
            assert out.text is not None  # question() wrote it before building
            out.text = out.text + [" — "] + self.parts(header_a, "a header")
        if q.mandatory:
            second.lines.append("mandatory")
        for s in q.rows(0):
            second.lines.append(f"row {names.rows[s.code]} {_quote(self.parts(s.text, 'a row label'))}")
        for a in q.options(1):
            second.lines.append(f"column {names.second_options[a.code]} "
                                f"{_quote(self.parts(a.text, 'a column label'))}")
        return [*first, second]

    def build_grid(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        out.kind = "grid"
        self._common(q, out)
        conds = self._item_conditions(q, names, "rows")
        for s in q.rows(0):
            out.lines.append(self._item("row", names.rows[s.code], s.text, conds.get(s.code), q))
        for s in q.rows(1):
            out.lines.append(f"column {names.columns[s.code]} {_quote(self.parts(s.text, 'a column label'))}")
        if q.attribute("multiflexible_checkbox") == "1":
            low, high, step = "0", "1", "1"
            self._note("checkboxes (0/1) become number boxes from 0 to 1", q.line, q.code)
        elif q.attribute("input_boxes") == "1":
            low, high, step = q.attribute("multiflexible_min"), q.attribute("multiflexible_max"), \
                q.attribute("multiflexible_step") or "1"
            if q.attribute("num_value_int_only") != "1":
                self._note("QDL grids hold whole numbers; LimeSurvey's boxes took decimals", q.line, q.code)
        else:
            low = q.attribute("multiflexible_min") or "1"
            high = q.attribute("multiflexible_max") or "10"
            step = q.attribute("multiflexible_step") or "1"
        for word, value in (("min", low), ("max", high)):
            if _number(value):
                out.lines.append(f"{word} {value}")
        if _number(step) and float(step) != 1 and _number(low or "0"):
            cells = [f"{names.code}_{names.rows[r.code]}_{names.columns[c.code]}" for r in q.rows(0) for c in q.rows(1)]
            rule = " and ".join(f"(is_empty({v}) or ({v} - {low or 0}) % {step} == 0)" for v in cells)
            out.lines.append(f"validate {rule}")
            out.lines.append(f"  message {_quote([self.words['step'].format(n=step)])}")
        defaults = {d.value for d in q.defaults if d.value}
        if len(defaults) == 1 and _number(next(iter(defaults))):
            out.lines.append(f"default {next(iter(defaults))}")
        elif defaults:
            self._note("default values that differ from cell to cell are not converted", q.line, q.code)
        self._validations(q, out, [f"{q.code}_{r.code}_{c.code}" for r in q.rows(0) for c in q.rows(1)])
        return [out]

    def _parts_questions(self, q, names: Names, out: QdlQuestion, kind: str, cells) -> list[QdlQuestion]:
        """A display with the question's text, then one question per part."""
        out.kind = "display"
        out.text = self.parts(q.text, "the question text", q.code, q.line)
        helptext = self.parts(q.help, "the help text", q.code, q.line)
        if helptext:
            out.lines.append(f"help {_quote(helptext)}")
        made = [out]
        for ls_name, label_parts, cond in cells:
            part = QdlQuestion(kind, names.parts[ls_name], label_parts, condition=cond)
            if q.mandatory:
                part.lines.append("mandatory")
            self._limits(q, part, kind)
            made.append(part)
        made[-1].lines.extend(self._sum_rules(q, [c[0] for c in cells]) if kind in ("integer", "decimal") else [])
        if q.attribute("em_validation_q") or q.attribute("em_validation_sq"):
            self._validations(q, made[-1], [c[0] for c in cells])
        return made

    def build_texts(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        conds = self._item_conditions(q, names, "rows")
        kind = "decimal" if q.attribute("numbers_only") == "1" else "text"
        cells = [(f"{q.code}_{s.code}", self.parts(s.text, "a subquestion"), conds.get(s.code)) for s in q.rows(0)]
        return self._parts_questions(q, names, out, kind, cells)

    def build_numbers(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        conds = self._item_conditions(q, names, "rows")
        kind = "integer" if q.attribute("num_value_int_only") == "1" else "decimal"
        cells = [(f"{q.code}_{s.code}", self.parts(s.text, "a subquestion"), conds.get(s.code)) for s in q.rows(0)]
        return self._parts_questions(q, names, out, kind, cells)

    def build_texts_grid(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        conds = self._item_conditions(q, names, "rows")
        kind = "decimal" if q.attribute("numbers_only") == "1" else "text"
        cells = [(f"{q.code}_{r.code}_{c.code}", self.parts(r.text, "a row") + [" — "] + self.parts(c.text, "a column"),
                  conds.get(r.code)) for r in q.rows(0) for c in q.rows(1)]
        return self._parts_questions(q, names, out, kind, cells)

    def _limits(self, q, out: QdlQuestion, kind: str) -> None:
        if kind in ("integer", "decimal"):
            for word, name in (("min", "min_num_value_n"), ("max", "max_num_value_n")):
                value = q.attribute(name)
                if _number(value):
                    out.lines.append(f"{word} {value}")
                elif value:
                    self._note(f"{name} = {value!r} is not a number (an expression?): not converted",
                               q.line, q.code)
            for word in ("prefix", "suffix"):
                value = self.parts(q.attribute(word), f"the {word}")
                if value:
                    out.lines.append(f"{word} {_quote(value)}")
        else:
            chars = q.attribute("maximum_chars")
            if chars.isdigit() and int(chars) > 0:
                out.lines.append(f"maxlength {chars}")
            if q.preg.strip():
                self._pattern(q, out)

    def _sum_rules(self, q, variables: list[str]) -> list[str]:
        names = [var.name for v in variables if (var := self.scope.variable(v)) is not None]
        total = f"sum({', '.join(names)})"
        out = []
        for attr, op, word in (("min_num_value", ">=", "sum_min"), ("max_num_value", "<=", "sum_max"),
                               ("equals_num_value", "==", "sum_eq")):
            value = q.attribute(attr)
            if _number(value) and names:
                out += [f"validate {total} {op} {value}", f"  message {_quote([self.words[word].format(n=value)])}"]
            elif value:
                self._note(f"{attr} = {value!r} is not a number (an expression?): not converted", q.line, q.code)
        return out

    def _pattern(self, q, out: QdlQuestion) -> None:
        try:
            pattern = python_pattern(q.preg.strip())
        except (Unconvertible, LimeSurveyError) as err:
            self._note(f"the validation pattern {q.preg.strip()!r} is not converted: {err}", q.line, q.code)
            return
        # LimeSurvey searches the answer for the pattern; QDL's pattern must match it whole
        whole = pattern if _anchored(pattern) else r"[\s\S]*?(?:" + pattern + r")[\s\S]*"
        out.lines.append(f"pattern {raw(whole)}")

    def build_number(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        out.kind = "integer" if q.attribute("num_value_int_only") == "1" else "decimal"
        self._common(q, out)
        self._limits(q, out, out.kind)
        default = self._default(q)
        if default and _number(default):
            out.lines.append(f"default {default}")
        elif default:
            self._note(f"the default value {default!r} is not a number: not converted", q.line, q.code)
        self._validations(q, out, [q.code])
        return [out]

    def build_text(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        if q.attribute("numbers_only") == "1":
            return self.build_number(q, names, out)
        out.kind = "longtext" if TYPES.get(q.type, FALLBACK).shape == "longtext" else "text"
        self._common(q, out)
        self._limits(q, out, out.kind)
        for word in ("prefix", "suffix"):
            if q.attribute(word):
                self._note(f"the {word} {q.attribute(word)!r} is not converted (QDL texts have none)", q.line,
                           q.code)
        default = self._default(q)
        if default:
            out.lines.append(f"default {_quote([default])}")
        self._validations(q, out, [q.code])
        return [out]

    build_longtext = build_text

    def build_date(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        out.kind = "date"
        self._common(q, out)
        for attribute, statement in (("date_min", "min"), ("date_max", "max")):
            value = q.attribute(attribute)
            if value:
                day = _iso_day(value)
                if day is None:
                    self._note(f"the attribute {attribute} = {_one_line(value)!r} is not a date written "
                               "YYYY-MM-DD: not converted", q.line, q.code)
                else:
                    out.lines.append(f"{statement} {_quote([day])}")
        if re.search(r"[HhNnSs]", q.attribute("date_format") or ""):
            self._note(f"the date format {q.attribute('date_format')!r} has a time of day: QDL keeps the date "
                       "only", q.line, q.code)
        default = self._default(q)
        if default:
            day = _iso_day(default)
            if day is None:
                self._note(f"the default {default!r} is not a date written YYYY-MM-DD: not converted", q.line,
                           q.code)
            else:
                out.lines.append(f"default {_quote([day])}")
        self._validations(q, out, [q.code])
        return [out]

    def build_ranking(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        out.kind = "array"
        self._common(q, out)
        opts = options(q, self.survey)
        conds = self._item_conditions(q, names, "options")
        for rank in range(1, len(opts) + 1):
            out.lines.append(f"row r{rank} {_quote([self.words['rank'].format(n=rank)])}")
        for code, html_label in opts:
            out.lines.append(f"column {names.options[code]} {_quote(self.parts(html_label, 'an option'))}")
        if conds:
            self._note("array filters on a ranking's options are not converted", q.line, q.code)
        rows = [f"{names.code}_r{rank}" for rank in range(1, len(opts) + 1)]
        once = " and ".join(f'countif("{names.options[c]}", {", ".join(rows)}) <= 1' for c, _ in opts)
        if once:
            out.lines.append(f"validate {once}")
            out.lines.append(f"  message {_quote([self.words['twice']])}")
        self._answer_counts(q, out, rows)
        return [out]

    def build_display(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        out.kind = "display"
        self._common(q, out, answered=False)
        return [out]

    def build_unsupported(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        t = TYPES.get(q.type)
        if t is None:
            self._note(f"type {q.type!r} is not a LimeSurvey type this importer knows: the question becomes a "
                       "display text", q.line, q.code)
        return self.build_display(q, names, out)

    def build_equation(self, q, names: Names, out: QdlQuestion) -> list[QdlQuestion]:
        out.kind = "equation"
        value = self.parts(q.text, "the equation", q.code, q.line)
        exprs = [p if not isinstance(p, str) else lit(p) for p in value]
        expr: ast.Expr
        if not exprs:
            expr = lit("")
        elif len(exprs) == 1:
            expr = exprs[0]
        else:
            expr = call("join", *exprs)
        out.lines.append(f"value {ast.unparse(expr)}")
        if q.attribute("hidden") != "1":
            self._note("LimeSurvey shows this equation's text on the page; a QDL equation is never shown",
                       q.line, q.code)
        return [out]

    # --------------------------------------------------------------- helpers
    def _item(self, head: str, code: str, html_label: str, cond: ast.Expr | None, q, exclusive=False) -> str:
        line = f"{head} {code} {_quote(self.parts(html_label, 'a label', q.code, q.line))}"
        if exclusive:
            line += " exclusive"
        if cond is not None:
            line += f" when {ast.unparse(cond)}"
        return line

    def _default(self, q) -> str | None:
        for d in q.defaults:
            if d.sqid in ("", "0") and d.scale == 0 and d.specialtype in ("", None):
                value = d.value.strip()
                if "{" in value:
                    self._note(f"the default {value!r} is an expression: not converted", d.line, q.code)
                    return None
                return value or None
        return None


def _iso_day(value: str) -> str | None:
    """The date LimeSurvey's value writes (`2024-01-31`, `2024-01-31 00:00:00`), or
    None (an expression, another form, no such day)."""
    from qengine.kinds.date import parse_date

    m = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*", value)
    return m[1] if m and parse_date(m[1]) is not None else None


class _SgqaNames(dict):
    """SGQA field names of the conditions table -> LimeSurvey variable names, for the
    names that are variables (as LimeSurvey's dictionary has them: a multiple
    choice's own SGQA is not one, its options' are)."""

    def __init__(self, by_sgqa: dict[str, str], scope: SurveyScope):
        super().__init__()
        self.by_sgqa = by_sgqa
        self.scope = scope

    def get(self, name, default=None):
        for prefix, code in sorted(self.by_sgqa.items(), key=lambda item: -len(item[0])):
            if name.startswith(prefix):
                var = code if name == prefix else f"{code}_{name[len(prefix):]}"
                return var if var in self.scope.variables else default
        return default


def _quote(parts: list) -> str:
    """A text on a statement line below a question."""
    return quote(parts, "      ")


def _number(value: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", (value or "").strip()))


def _anchored(pattern: str) -> bool:
    body = re.sub(r"^\(\?[imsx]+\)", "", pattern)
    return body.startswith("^") and body.endswith("$") and "|" not in body


def _allows_unanswered(rule: ast.Expr, own: frozenset[str]) -> bool:
    """Whether an unanswered question passes the rule: it reads only the question's
    own answers and holds when they are all empty, or it says so itself (a disjunct
    `is_empty(...)` or `count(...) == 0` at its top)."""
    if reads([rule]) <= own:
        try:
            return truthy(evaluate(rule, _Unanswered()))
        except EvaluationError:
            return False
    stack = [rule]
    while stack:
        e = stack.pop()
        if isinstance(e, ast.Logical) and e.op == "or":
            stack += [e.left, e.right]
        elif isinstance(e, ast.Call) and e.name == "is_empty" or isinstance(e, ast.Compare) and isinstance(e.left, ast.Call) and e.left.name == "count":
            return True
    return False


class _Unanswered:
    """The answers of a question nobody answered (for `_allows_unanswered`)."""

    def value(self, var):
        return None

    def visible(self, question):
        return True

    def shown(self, var):
        return ""

    # The imported question's wording is not built yet: a rule reading it is not judged.
    def wording(self, var):
        raise EvaluationError(f"{var.name}.question is not known before the survey is built", NOWHERE)

    def type_letter(self, question):
        raise EvaluationError(f"{question}.type is not known before the survey is built", NOWHERE)


def _one_line(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= 120 else one[:117] + "..."
