"""Plain words: expressions read as sentences in the survey's language.

The printable annex must let a reader who never saw QDL know when each question is
asked. This backend walks the expression AST and says it the way LimeSurvey's
printable version did: "La réponse était 'En groupe' à la question '4 [solo]'
(Exercez-vous seul ou en groupe ?)". It knows the survey, so it names answers by
their labels and questions by number, code and wording, never by raw code.

A condition reads as a `Phrase`: a clause (a string), or `Clauses` joining several
with "and"/"or", nested as the expression is, so that a renderer may print a long
condition as a list. `not` is pushed down to the clauses (De Morgan), where each
clause has its own negative form ("la réponse n'était pas 'Oui'").

Negation is exact: `not (x < 5)` reads "ne valait pas moins de 5", never "valait
au moins 5", because an empty answer satisfies the first and not the second.
"""

from __future__ import annotations

import re
from string import Formatter
from typing import cast

import attrs

from qengine.errors import EvaluationError
from qengine.expr import ast
from qengine.expr.evaluate import evaluate
from qengine.expr.functions import FUNCTIONS, Arg, Function, quoted
from qengine.expr.values import as_text, truthy
from qengine.kinds.attributes import type_letter, wording
from qengine.kinds.base import Choices, Table
from qengine.kinds.registry import kind_of
from qengine.model import Question, Survey, Text


@attrs.frozen
class Vocabulary:
    """The words of one language. `{q}` is a question reference ("la question '4
    [solo]' (…)"), `{v}` a quoted value or label, `{s}`/`{o}` noun phrases."""

    question: str
    this_question: str
    computed: str
    answer_was: tuple[str, str]  # (positive, negative)
    row_answer_was: tuple[str, str]
    ticked: tuple[str, str]
    answered: tuple[str, str]
    any_ticked: tuple[str, str]
    row_answered: tuple[str, str]
    empty: tuple[str, str]
    visible: tuple[str, str]
    truthy: tuple[str, str]
    always: tuple[str, str]
    compare: dict[str, tuple[str, str]]
    compare_text: tuple[str, str]
    if_statement: str
    and_: str
    or_: str
    all_of: str
    any_of: str
    answer_to: str
    row_answer: str
    box: str
    boxes: str
    all_boxes: str
    label_of: str
    wording_of: str
    type_of: str
    arithmetic: dict[str, str]
    minus: str
    count_parts: dict[str, str]  # count() of a whole multiple choice, array, grid, by shape (`Kind.shape`)
    if_term: str
    or_default: str
    empty_counts: str
    placeholder_answer: str
    placeholder_computed: str
    brief_question: str
    decimal_comma: bool
    true_false: tuple[str, str]
    nothing: str
    #: (preposition, article) -> the contracted word: French "de" + "les" is "des"
    contractions: dict[tuple[str, str], str] = attrs.field(factory=dict)

    def say(self, template: str, **parts: str) -> str:
        """`template` with its `{…}` filled by `parts`, contracted where a part
        starting with an article follows a preposition of the template ("la somme de
        {items}" with "les cases …" is "la somme des cases …"). Only these joins are
        looked at, so survey text quoted inside a part is never changed."""
        out: list[str] = []
        for literal, field, _, _ in Formatter().parse(template):
            out.append(literal)
            if field is None:
                continue
            part = str(parts[field])
            before, after = _LAST_WORD.search(literal), _FIRST_WORD.match(part)
            word = before and after and self.contractions.get((before[1], after[1]))
            if word and before and after:  # (word is only found with both)
                out[-1] = literal[:before.start(1)]
                part = word + part[after.end(1):]
            out.append(part)
        return "".join(out)


_LAST_WORD = re.compile(r"(?:^|(?<=\s))(\w+) $")
_FIRST_WORD = re.compile(r"(\w+) ")


FRENCH = Vocabulary(
    question="la question {ref}",
    this_question="cette question",
    computed="la valeur calculée {ref}",
    answer_was=("la réponse était {v} à {q}", "la réponse n'était pas {v} à {q}"),
    row_answer_was=("la réponse était {v} pour {row} à {q}", "la réponse n'était pas {v} pour {row} à {q}"),
    ticked=("la case {v} était cochée à {q}", "la case {v} n'était pas cochée à {q}"),
    answered=("{q} avait reçu une réponse", "{q} n'avait pas reçu de réponse"),
    any_ticked=("au moins une case était cochée à {q}", "aucune case n'était cochée à {q}"),
    row_answered=("une réponse était donnée pour {row} à {q}", "aucune réponse n'était donnée pour {row} à {q}"),
    empty=("{s} était vide", "{s} n'était pas vide"),
    visible=("{q} était affichée", "{q} n'était pas affichée"),
    truthy=("{s} n'était ni vide ni zéro", "{s} était vide ou zéro"),
    always=("toujours", "jamais"),
    compare={"==": ("{s} valait {o}", "{s} ne valait pas {o}"),
             "!=": ("{s} ne valait pas {o}", "{s} valait {o}"),
             "<": ("{s} valait moins de {o}", "{s} ne valait pas moins de {o}"),
             "<=": ("{s} valait au plus {o}", "{s} ne valait pas au plus {o}"),
             ">": ("{s} valait plus de {o}", "{s} ne valait pas plus de {o}"),
             ">=": ("{s} valait au moins {o}", "{s} ne valait pas au moins {o}")},
    compare_text=("{s} était {o}", "{s} n'était pas {o}"),
    if_statement="si {c}, alors {a} ; sinon, {b}",
    and_="et",
    or_="ou",
    all_of="toutes les conditions suivantes sont réunies :",
    any_of="au moins une des conditions suivantes est remplie :",
    answer_to="la réponse à {q}",
    row_answer="la réponse pour {row} à {q}",
    box="la case {v} de {q}",
    boxes="les cases {items} de {q}",
    all_boxes="toutes les cases de {q}",
    label_of="le libellé de la réponse à {q}",
    wording_of="le libellé de {q}",
    type_of="le type LimeSurvey de {q} ({t})",
    arithmetic={"+": "{a} plus {b}", "-": "{a} moins {b}", "*": "{a} multiplié par {b}",
                "/": "{a} divisé par {b}", "%": "le reste de la division de {a} par {b}"},
    minus="moins {a}",
    count_parts={"choices": "le nombre de cases cochées à {q}", "row_choice": "le nombre de lignes répondues à {q}",
                 "row_cells": "le nombre de cases remplies à {q}"},
    if_term="{a} si {c}, sinon {b}",
    or_default="{a} ({d} si vide)",
    empty_counts="{items}, une valeur vide comptant pour {d}",
    placeholder_answer="[réponse à la question {ref}]",
    placeholder_computed="[valeur calculée {ref}]",
    brief_question="la question {ref}",
    decimal_comma=True,
    true_false=("vrai", "faux"),
    nothing="rien",
    contractions={("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"},
)

ENGLISH = Vocabulary(
    question="question {ref}",
    this_question="this question",
    computed="the computed value {ref}",
    answer_was=("the answer was {v} to {q}", "the answer was not {v} to {q}"),
    row_answer_was=("the answer was {v} for {row} in {q}", "the answer was not {v} for {row} in {q}"),
    ticked=("{v} was ticked in {q}", "{v} was not ticked in {q}"),
    answered=("{q} was answered", "{q} was not answered"),
    any_ticked=("at least one box was ticked in {q}", "no box was ticked in {q}"),
    row_answered=("{row} was answered in {q}", "{row} was not answered in {q}"),
    empty=("{s} was empty", "{s} was not empty"),
    visible=("{q} was shown", "{q} was not shown"),
    truthy=("{s} was neither empty nor zero", "{s} was empty or zero"),
    always=("always", "never"),
    compare={"==": ("{s} was {o}", "{s} was not {o}"),
             "!=": ("{s} was not {o}", "{s} was {o}"),
             "<": ("{s} was less than {o}", "{s} was not less than {o}"),
             "<=": ("{s} was at most {o}", "{s} was not at most {o}"),
             ">": ("{s} was more than {o}", "{s} was not more than {o}"),
             ">=": ("{s} was at least {o}", "{s} was not at least {o}")},
    compare_text=("{s} was {o}", "{s} was not {o}"),
    if_statement="if {c}, then {a}; otherwise, {b}",
    and_="and",
    or_="or",
    all_of="all of the following conditions are met:",
    any_of="at least one of the following conditions is met:",
    answer_to="the answer to {q}",
    row_answer="the answer for {row} in {q}",
    box="the box {v} of {q}",
    boxes="the boxes {items} of {q}",
    all_boxes="every box of {q}",
    label_of="the wording of the answer to {q}",
    wording_of="the wording of {q}",
    type_of="the LimeSurvey type of {q} ({t})",
    arithmetic={"+": "{a} plus {b}", "-": "{a} minus {b}", "*": "{a} times {b}",
                "/": "{a} divided by {b}", "%": "the remainder of {a} divided by {b}"},
    minus="minus {a}",
    count_parts={"choices": "the number of boxes ticked in {q}", "row_choice": "the number of rows answered in {q}",
                 "row_cells": "the number of cells filled in {q}"},
    if_term="{a} if {c}, otherwise {b}",
    or_default="{a} ({d} when empty)",
    empty_counts="{items}, an empty value counting as {d}",
    placeholder_answer="[answer to question {ref}]",
    placeholder_computed="[computed value {ref}]",
    brief_question="question {ref}",
    decimal_comma=False,
    true_false=("true", "false"),
    nothing="nothing",
)

VOCABULARIES = {"fr": FRENCH, "en": ENGLISH}


def vocabulary(language: str) -> Vocabulary:
    """The built-in words for a language tag ("fr", "fr-CA", "en_GB"…); English
    when the language is not built in."""
    return VOCABULARIES[words_language(language)]


def words_language(language: str) -> str:
    """The built-in language that speaks for a language tag: "fr" for "fr-CA";
    "en" when the language is not built in. Function rows have words in each."""
    base = re.split(r"[-_]", language or "en")[0].lower()
    return base if base in VOCABULARIES else "en"


@attrs.frozen
class Clauses:
    """Several clauses joined by "and" or "or"."""

    op: str  # "and" | "or"
    items: tuple[Phrase, ...]


Phrase = str | Clauses


def all_of(items) -> Phrase:
    return _join("and", items)


def any_of(items) -> Phrase:
    return _join("or", items)


def _join(op: str, items) -> Phrase:
    flat: list[Phrase] = []
    for item in items:
        if isinstance(item, Clauses) and item.op == op:
            flat.extend(item.items)
        else:
            flat.append(item)
    return flat[0] if len(flat) == 1 else Clauses(op, tuple(flat))


def flatten(phrase: Phrase, words: Vocabulary, nested: bool = False) -> str:
    """A phrase as one run of text; groups inside groups go in parentheses."""
    if isinstance(phrase, str):
        return phrase
    joiner = f" {words.and_ if phrase.op == 'and' else words.or_} "
    text = joiner.join(flatten(p, words, nested=True) for p in phrase.items)
    return f"({text})" if nested else text


def capitalize(text: str) -> str:
    """The first letter upper-cased, the rest untouched ("la réponse" -> "La réponse")."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
    return text


_MIRROR = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_REFERENCE_LENGTH = 110


class _Blank:
    """The environment of a respondent who has answered nothing yet."""

    def __init__(self, survey: Survey):
        self.survey = survey

    def value(self, var):
        return None

    def visible(self, question):
        return False

    def shown(self, var):
        return ""

    def wording(self, var):
        q = self.survey.by_code[var.question]
        return wording(q, var.sub, lambda t: "".join(p if isinstance(p, str) else _blank_reading(p, self.survey)
                                                     for p in t.parts))

    def type_letter(self, question):
        return type_letter(self.survey.by_code[question])


class Reader:
    """Reads the expressions of one survey aloud, in the survey's language.

    A reader remembers which questions it has already named: the first mention
    carries the question's wording, later ones only its number and code. Use one
    reader per block of text (`about(code)` gives a fresh one), so that every block
    names each question in full once. Inside the block about question `here`, that
    question is "cette question".
    """

    def __init__(self, survey: Survey, language: str | None = None, here: str | None = None):
        self.survey = survey
        self.language = language or survey.language
        self.words = vocabulary(self.language)
        self._said_in = words_language(self.language)
        self.here = here
        self._seen: set[str] = set()

    def about(self, code: str | None) -> Reader:
        return Reader(self.survey, self.language, code)

    # ------------------------------------------------------------ public
    def condition(self, expr: ast.Expr, negated: bool = False) -> Phrase:
        """What must hold for `expr` to be true (false, when `negated`)."""
        return self._statement(expr, negated)

    def sentence(self, expr: ast.Expr, negated: bool = False) -> str:
        """The condition as one sentence, capitalised."""
        return capitalize(flatten(self.condition(expr, negated), self.words))

    def term(self, expr: ast.Expr) -> str:
        """A value as a noun phrase ("la somme de …")."""
        return self._term(expr)

    def placeholder(self, expr: ast.Expr) -> str:
        """What stands in printed wording for a `{…}` that shows a value:
        "[réponse à la question 2 [age]]"."""
        if isinstance(expr, ast.Var) and expr.attr in ("value", "shown") and not expr.sub:
            q = self.survey.by_code.get(expr.question) if expr.question is not None else None
            if q is not None:
                template = (self.words.placeholder_computed if q.formula is not None
                            else self.words.placeholder_answer)
                return self.words.say(template, ref=f"{q.number} [{q.code}]")
        seen, self._seen = self._seen, set(self.survey.by_code)
        try:
            return f"[{self._term(expr)}]"
        finally:
            self._seen = seen

    def reading(self, text: Text | None) -> str:
        """The wording as someone who has answered nothing yet reads it: each
        `{if(…)}` takes the branch chosen for empty answers, other values are "…".
        Whitespace is collapsed; used where a question is referred to."""
        if text is None:
            return ""
        out = "".join(p if isinstance(p, str) else _blank_reading(p, self.survey) for p in text.parts)
        return re.sub(r"(…\s*)+", "…", " ".join(out.split()))

    def label(self, text: Text) -> str:
        return f"'{self.reading(text)}'"

    # ------------------------------------------------------------ references
    def _question_ref(self, code: str) -> str:
        if code == self.here:
            return self.words.this_question
        q = self.survey.by_code.get(code)
        if q is None:
            return self.words.say(self.words.brief_question, ref=f"'{code}'")
        ref = self.words.say(self.words.question, ref=f"'{q.number} [{q.code}]'")
        if code in self._seen or q.text is None:
            return ref
        self._seen.add(code)
        wording = self.reading(q.text)
        if len(wording) > _REFERENCE_LENGTH:
            wording = wording[: _REFERENCE_LENGTH - 1].rstrip() + "…"
        return f"{ref} ({wording})" if wording else ref

    def _question(self, var: ast.Var) -> Question | None:
        return self.survey.by_code.get(var.question) if var.question else None

    def _asked(self, var: ast.Var) -> Question:
        """The question `var` reads, known to be one (its shape was read)."""
        q = self._question(var)
        assert q is not None, f"'{var.name}' reads no question"
        return q

    def _shape(self, var: ast.Var) -> str | None:
        """The shape of the answer of the question `var` reads (`Kind.shape`): how
        its parts and its values are said."""
        q = self._question(var)
        return None if q is None else kind_of(q).shape

    def _option_label(self, q: Question, option_code: str) -> str:
        option = cast(Choices, q).option(option_code)
        return self.label(option.label) if option is not None else f"'{option_code}'"

    def _row_label(self, q: Question, row_code: str) -> str:
        row = cast(Table, q).row(row_code)
        return self.label(row.label) if row is not None else f"'{row_code}'"

    def _cell_label(self, q: Question, row_code: str, column_code: str) -> str:
        table = cast(Table, q)
        row, col = table.row(row_code), table.column(column_code)
        r = self.reading(row.label) if row is not None else row_code
        c = self.reading(col.label) if col is not None else column_code
        return f"'{r} / {c}'"

    # ------------------------------------------------------------ statements
    def _statement(self, node: ast.Expr, negated: bool) -> Phrase:
        w = self.words
        match node:
            case ast.Logical(op=op, left=a, right=b):
                op = op if not negated else ("or" if op == "and" else "and")
                return _join(op, [self._statement(a, negated), self._statement(b, negated)])
            case ast.Unary(op="not", operand=o):
                return self._statement(o, not negated)
            case ast.Compare():
                return self._compare(node, negated)
            case ast.Call(name="is_empty", args=(x,)):
                return self._emptiness(x, not negated)
            case ast.Call(name="if", args=(c, a, b)):
                return w.say(w.if_statement, c=flatten(self._statement(c, False), w, True),
                             a=flatten(self._statement(a, negated), w, True),
                             b=flatten(self._statement(b, negated), w, True))
            case ast.Call() if _is_clause(node):
                return self._call(node, negated)
            case ast.Var(attr="visible"):
                return w.say(w.visible[negated], q=self._question_ref(_code(node)))
            case ast.Literal(value=v):
                return w.always[truthy(v) == negated]
            case ast.Var(attr="value", sub=(option,)) if self._shape(node) == "choices":
                q = self._asked(node)
                return w.say(w.ticked[negated], v=self._option_label(q, option), q=self._question_ref(q.code))
            case ast.Var(attr="value", sub=()) if self._shape(node) == "choice":
                return w.say(w.answered[negated], q=self._question_ref(_code(node)))
        return w.say(w.truthy[negated], s=self._term(node))

    def _compare(self, node: ast.Compare, negated: bool) -> Phrase:
        op, left, right = node.op, node.left, node.right
        if isinstance(left, ast.Literal) and not isinstance(right, ast.Literal):
            op, left, right = _MIRROR[op], right, left
        if op in ("==", "!=") and negated:
            op, negated = ("!=" if op == "==" else "=="), False
        if op in ("==", "!=") and isinstance(right, ast.Literal):
            said = self._equality(left, right.value, positive=op == "==")
            if said is not None:
                return said
        w = self.words
        subject = self._operand(left)
        other = self._operand(right) if isinstance(right, ast.Call) else self._term(right)
        if op in ("==", "!=") and isinstance(right, ast.Literal) and isinstance(right.value, str):
            return w.say(w.compare_text[(op == "!=") != negated], s=subject, o=other)
        return w.say(w.compare[op][negated], s=subject, o=other)

    def _equality(self, var: ast.Expr, value, positive: bool) -> str | None:
        """`x == literal` said with the question's own labels, when there are any."""
        w = self.words
        if value == "":
            return self._emptiness(var, positive)
        if not isinstance(var, ast.Var) or var.attr != "value":
            return None
        shape = self._shape(var)
        if shape is None:
            return None
        q = self._asked(var)
        code = as_text(value)
        neg = not positive
        if shape == "choice" and not var.sub and (option := cast(Choices, q).option(code)) is not None:
            return w.say(w.answer_was[neg], v=self.label(option.label), q=self._question_ref(q.code))
        if shape == "choices" and len(var.sub) == 1 and code == "Y":
            return w.say(w.ticked[neg], v=self._option_label(q, var.sub[0]), q=self._question_ref(q.code))
        if shape == "row_choice" and len(var.sub) == 1 and (column := cast(Table, q).column(code)) is not None:
            return w.say(w.row_answer_was[neg], v=self.label(column.label),
                         row=self._row_label(q, var.sub[0]), q=self._question_ref(q.code))
        return None

    def _emptiness(self, x: ast.Expr, empty: bool) -> str:
        """`is_empty(x)` (when `empty`) or its negation."""
        w = self.words
        var = x if isinstance(x, ast.Var) and x.attr == "value" else None
        q = self._question(var) if var is not None else None
        shape = kind_of(q).shape if q is not None else None
        if var is not None and q is not None and q.formula is None and shape != "row_cells":
            ref = self._question_ref(q.code)
            if shape == "choices" and not var.sub:
                return w.say(w.any_ticked[empty], q=ref)
            if shape == "choices":
                return w.say(w.ticked[empty], v=self._option_label(q, var.sub[0]), q=ref)
            if shape == "row_choice" and var.sub:
                return w.say(w.row_answered[empty], row=self._row_label(q, var.sub[0]), q=ref)
            return w.say(w.answered[empty], q=ref)
        return w.say(w.empty[not empty], s=self._term(x))

    # ------------------------------------------------------------ terms
    def _term(self, node: ast.Expr) -> str:
        w = self.words
        match node:
            case ast.Literal(value=bool() as v):
                return w.true_false[not v]
            case ast.Literal(value=""):
                return w.nothing
            case ast.Literal(value=str() as v):
                return f"'{v}'"
            case ast.Literal(value=v):
                return self.number(v)
            case ast.Var():
                return self._var_term(node)
            case ast.Unary(op="-", operand=o):
                return w.say(w.minus, a=self._operand(o))
            case ast.Binary(op=op, left=a, right=b):
                return w.say(w.arithmetic[op], a=self._operand(a), b=self._operand(b))
            case ast.Call(name="if") if (found := _or_default(node)) is not None:
                value, default = found
                return w.say(w.or_default, a=self._operand(value), d=self._term(default))
            case ast.Call(name="if", args=(c, a, b)):
                return w.say(w.if_term, a=self._operand(a), b=self._operand(b),
                             c=flatten(self._statement(c, False), w, True))
            case ast.Call(name="count", args=(ast.Var(sub=()) as v,)) if (
                    counted := w.count_parts.get(self._shape(v) or "")) is not None:
                return w.say(counted, q=self._question_ref(_code(v)))
            case ast.Call() if _is_clause(node):
                return w.say(w.if_term, a="1", b="0", c=self._call(node))
            case ast.Call():
                return self._call(node)
            case ast.Compare() | ast.Logical() | ast.Unary():
                return w.say(w.if_term, a="1", b="0", c=flatten(self._statement(node, False), w, True))
        raise TypeError(f"not an expression node: {node!r}")

    def _call(self, call: ast.Call, negated: bool = False) -> str:
        """A call as its row of the function table says it. The parts are read in
        the order the sentence says them, so that the first mention of a question
        is the one that carries its wording."""
        fn = FUNCTIONS[call.name]
        words = fn.words
        assert words is not None, f"{call.name}() has no words"  # only if() has none, read apart
        if words.given is not None and len(call.args) > fn.min_args:
            words = words.given
        template = words.template(self._said_in, negated)
        parts: dict[str, str] = {}
        for _, field, _, _ in Formatter().parse(template):
            if field is not None and field not in parts:
                parts[field] = (self._items(call.args) if field == "items" else
                                self._items(call.args[1:]) if field == "rest" else
                                self._named(call, fn) if field == "questions" else
                                self._operand(call.args[int(field)]))
        return self.words.say(template, **parts)

    def _named(self, call: ast.Call, fn: Function) -> str:
        """The questions (or their parts) a call names in quotes (arguments of type
        QUESTION), listed as references."""
        said = []
        for i, a in enumerate(call.args):
            if fn.takes(i, Arg.QUESTION):
                var = ast.Var.named(quoted(a) or "", "value", a.span)
                said.append(self._question_ref(_code(var)) if not var.sub else self._var_term(var))
        return _list(said, self.words)

    def _operand(self, node: ast.Expr) -> str:
        text = self._term(node)
        return f"({text})" if isinstance(node, ast.Binary | ast.Unary) or (
            isinstance(node, ast.Call) and node.name == "if" and _or_default(node) is None) else text

    def number(self, value) -> str:
        """A number as the language writes it (2,5 in French)."""
        text = as_text(value)
        return text.replace(".", ",") if self.words.decimal_comma else text

    def _var_term(self, var: ast.Var) -> str:
        w = self.words
        q = self._question(var)
        if q is None:
            return f"'{var.name}'"
        if var.attr == "question":  # the wording of the question, or of an option, a row, a cell
            return w.say(w.wording_of, q=self._var_term(attrs.evolve(var, attr="value")) if var.sub
                         else self._question_ref(q.code))
        if var.attr == "type":
            return w.say(w.type_of, q=self._question_ref(q.code), t=f"'{type_letter(q)}'")
        if q.formula is not None:
            return w.say(w.computed, ref=f"'{q.number} [{q.code}]'")
        ref = self._question_ref(q.code)
        if var.attr == "shown":
            return w.say(w.label_of, q=ref)
        if var.attr == "visible":
            return w.say(w.if_term, a="1", b="0", c=w.say(w.visible[0], q=ref))
        shape = kind_of(q).shape
        if shape == "choices" and var.sub:
            return w.say(w.box, v=self._option_label(q, var.sub[0]), q=ref)
        if shape == "row_choice" and var.sub:
            return w.say(w.row_answer, row=self._row_label(q, var.sub[0]), q=ref)
        if shape == "row_cells" and len(var.sub) == 2:
            return w.say(w.box, v=self._cell_label(q, *var.sub), q=ref)
        return w.say(w.answer_to, q=ref)

    def _items(self, args) -> str:
        """A list of arguments; runs of boxes of one grid or multiple choice are
        named together ("toutes les cases de la question …"), and when every
        argument is `if(is_empty(x), d, x)` that is said once for all."""
        defaults = [d for d in map(_or_default, args) if d is not None]
        if len(args) > 1 and len(defaults) == len(args) and len({d[1] for d in defaults}) == 1:
            return self.words.say(self.words.empty_counts, items=self._items([d[0] for d in defaults]),
                                  d=self._term(defaults[0][1]))
        parts: list[str] = []
        i = 0
        while i < len(args):
            run = _box_run(args, i, self.survey)
            if len(run) > 1:
                parts.append(self._boxes(run))
                i += len(run)
            else:
                parts.append(self._operand(args[i]))
                i += 1
        return _list(parts, self.words)

    def _boxes(self, run: list[ast.Var]) -> str:
        w = self.words
        q = self._asked(run[0])
        ref = self._question_ref(q.code)
        cells = self._shape(run[0]) == "row_cells"
        every: set[tuple[str, ...]]
        if cells:
            table = cast(Table, q)
            every = {(r.code, c.code) for r in table.rows for c in table.columns}
        else:
            every = {(o.code,) for o in cast(Choices, q).options}
        if {v.sub for v in run} == every:
            return w.say(w.all_boxes, q=ref)
        labels = [self._cell_label(q, *v.sub) if cells else self._option_label(q, v.sub[0]) for v in run]
        return w.say(w.boxes, items=_list(labels, w), q=ref)


def _code(var: ast.Var) -> str:
    """The question a name reads (names are resolved before they are put in words)."""
    assert var.question is not None, f"'{var.name}' is not resolved"
    return var.question


def _is_clause(call: ast.Call) -> bool:
    """Whether the call is true or false, and said as a clause."""
    words = FUNCTIONS[call.name].words
    return words is not None and words.is_clause


def _or_default(node: ast.Expr) -> tuple[ast.Expr, ast.Literal] | None:
    """(x, d) when `node` is `if(is_empty(x), d, x)`: x, or d in its place when empty."""
    match node:
        case ast.Call(name="if", args=(ast.Call(name="is_empty", args=(x,)), ast.Literal() as d, y)) if x == y:
            return x, d
    return None


def _box_run(args, start: int, survey: Survey) -> list[ast.Var]:
    """The longest run of plain-value boxes of one grid or multiple choice from `start`."""
    first = args[start]
    q = survey.by_code.get(first.question) if isinstance(first, ast.Var) and first.question else None
    if not (q is not None and first.attr == "value" and first.sub and kind_of(q).shape in ("row_cells", "choices")):
        return [first]
    run = [first]
    for a in args[start + 1:]:
        if isinstance(a, ast.Var) and a.attr == "value" and a.question == first.question and a.sub:
            run.append(a)
        else:
            break
    return run


def _list(items: list[str], words: Vocabulary) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {words.and_} " + items[-1]


def _blank_reading(node: ast.Expr, survey: Survey) -> str:
    """A `{…}` part as read before anything is answered (see `Reader.reading`)."""
    match node:
        case ast.Literal(value=v):
            return as_text(v)
        case ast.Call(name="if", args=(c, a, b)):
            try:
                chosen = a if truthy(evaluate(c, _Blank(survey))) else b
            except EvaluationError:
                chosen = b
            return _blank_reading(chosen, survey)
    return "…"
