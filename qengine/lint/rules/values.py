"""Values and types in expressions: codes a question cannot hold, numbers
compared with text, arithmetic on text, the places where LimeSurvey would read the
same expression differently, and reads of later questions."""

from __future__ import annotations

from qengine.errors import close_or_listed
from qengine.expr import ast
from qengine.expr.functions import FUNCTIONS, Arg, Result
from qengine.expr.values import as_number, equal
from qengine.kinds.registry import kind_of
from qengine.lint.context import LintContext, Site
from qengine.lint.diagnostic import finding
from qengine.lint.registry import check, rule

rule("V201", "unknown-answer-code", "error", "a question is compared with a value it can never hold",
     what="Reports `==` or `!=` between a single choice, an option of a multiple choice or a row "
          "of an array and a literal that is none of its answer codes (an option of a multiple "
          "choice reads \"Y\" when ticked).",
     why="`==` is then never true (and `!=` always): the condition silently hides or shows a "
         "question for everybody. It is usually a typo of a code.",
     example='single age "Your age?"\n  - age1 "Under 30"\n  - age2 "30 or more"\n'
             'display young "…"\n  when age == "agel"',
     instead='display young "…"\n  when age == "age1"')

rule("V202", "number-compared-with-text", "warning", "a number question is compared with text",
     what="Reports a comparison between a number question (or a grid cell) and a quoted text that "
          "is not a number.",
     why="A number never equals such a text, and ordering compares letter by letter: the "
         "condition does not mean what it says.",
     example='integer children "How many children?"\ndisplay big "…"\n  when children > "three"',
     instead='display big "…"\n  when children > 3')

rule("V203", "arithmetic-on-text", "error", "arithmetic on a value that is not a number",
     what="Reports `+ - * / %`, unary minus, sum(), min(), max() or round() applied to quoted text "
          "that is not a number, to a single choice or array row whose codes are not numbers, or "
          "to an option of a multiple choice (\"Y\").",
     why="QDL refuses arithmetic on text: the expression fails while the survey runs, as soon "
         "as the question is answered.",
     example='single age "Your age?"\n  - age1 "Under 30"\n  - age2 "30 or more"\n'
             'equation older\n  value age + 10',
     instead='integer age "Your age?"\nequation older\n  value age + 10')

rule("V204", "text-concatenation", "warning", "arithmetic where LimeSurvey would join texts or give NaN",
     what="Reports `+` with a free-text answer or a quoted number as an operand, and `-`, `*`, `/` "
          "with a quoted number.",
     why="QDL's `+` adds numbers; LimeSurvey's joins strings when either side is text (`\"1\" + \"2\"` "
         "is \"12\"), and its `-`, `*`, `/` with a quoted operand give NaN, so a survey ported "
         "from LimeSurvey (or back) changes meaning.",
     example='equation total\n  value "1" + count(pets)',
     instead='equation total\n  value 1 + count(pets)\n# to join texts: join(a, b)')

rule("V205", "quoted-number-comparison", "warning", "ordering with a quoted number",
     what="Reports `<`, `<=`, `>`, `>=` with a quoted number (\"18\") as an operand.",
     why="QDL compares numeric-looking strings as numbers (\"2\" < \"18\"); LimeSurvey compares "
         "quoted strings letter by letter (\"2\" > \"18\"). The same condition gives different "
         "answers in the two engines.",
     example='display adult "…"\n  when age >= "18"',
     instead='display adult "…"\n  when age >= 18')

rule("V206", "arithmetic-on-unanswered", "warning", "arithmetic on a question that may be unanswered",
     what="Reports `+ - * /` and unary minus with an operand that reads a question that may be "
          "left unanswered: not mandatory, or shown under a condition (of its own, of its group, "
          "or of the option or row read).",
     why="In QDL an unanswered question makes the arithmetic empty (`x + 1` is empty, so "
         "`x + 1 < 3` is false). LimeSurvey computes on: its `x + 1` is 1 and its `x - 1` is "
         "not a number, so the same condition can hold in LimeSurvey and not in QDL. Say which "
         "is meant.",
     example='integer children "How many children?"\ndisplay small "…"\n  when children + 1 < 3',
     instead='display small "…"\n  when sum(children, 1) < 3\n'
             '# or: when not is_empty(children) and children + 1 < 3')

rule("V207", "ordering-with-unanswered", "warning", "ordering with a question that may be unanswered",
     what="Reports `<=` or `>=` between a question that may be left unanswered (not mandatory, or "
          "shown under a condition) and 0, the empty text or another answer, and `<` or `>` where "
          "text would be greater than the unanswered question, unless the expression itself tests "
          "the question with is_empty() or count().",
     why="In QDL any ordering with an empty side is false. LimeSurvey's is not: with `x` "
         "unanswered, `x <= 0`, `0 <= x` and `x >= x` are true, and so is `\"abc\" > x`, so the "
         "same condition can hold in LimeSurvey and not in QDL.",
     example='integer debt "Debt?"\ndisplay none "…"\n  when debt <= 0',
     instead='display none "…"\n  when not is_empty(debt) and debt <= 0')

rule("V208", "text-as-truth", "warning", "a text used as true or false",
     what="Reports a free-text answer or a function giving text (trim(), substr(), join(), …) used "
          "directly as a truth value: a whole condition, an operand of `and`, `or` or `not`, or the "
          "first argument of if().",
     why="LimeSurvey takes only \"\" and \"0\" as false; QDL takes numeric zero in any spelling "
         "as false. A respondent typing \"0.0\", \"00\" or \" 0\" makes the condition true in "
         "LimeSurvey and false in QDL.",
     example='text name "Name?"\ndisplay hello "Hello {name}"\n  when name',
     instead='display hello "Hello {name}"\n  when name != ""')

rule("V210", "later-reference", "warning", "logic reads a question that comes later",
     what="Reports a condition, option or row condition, validation, equation or `{…}` part of "
          "wording (text, help, labels, a group's title or description) that reads a question "
          "placed after the question (or group) it belongs to.",
     why="When the condition is evaluated the later question has not been answered yet, so it "
         "reads as empty; the respondent's later answer may then show or hide what they "
         "already passed.",
     example='single a "First?"\n  when b == "y"\n  - y "Yes"\nsingle b "Second?"\n  - y "Yes"',
     instead="Move the question that is read before the one that reads it.")

def _codes(survey, var: ast.Var) -> list[str] | None:
    """The values a variable holds when answered, when it is a choice."""
    if var.attr != "value" or var.question is None:
        return None
    q = survey.by_code[var.question]
    return kind_of(q).codes(q, var.sub)


def _is_number_var(survey, node) -> bool:
    if not isinstance(node, ast.Var) or node.attr != "value" or node.question is None:
        return False
    q = survey.by_code[node.question]
    return kind_of(q).numeric(q, node.sub)


def _is_text(value) -> bool:
    return isinstance(value, str) and value != "" and as_number(value) is None


def _not_a_number(survey, node) -> str | None:
    """Why `node` cannot be used as a number, if it certainly cannot."""
    if isinstance(node, ast.Literal) and _is_text(node.value):
        return f'"{node.value}" is not a number'
    if isinstance(node, ast.Var):
        codes = _codes(survey, node)
        if codes and all(as_number(c) is None for c in codes):
            shown = ", ".join(f'"{c}"' for c in codes[:3]) + (", ..." if len(codes) > 3 else "")
            return f"'{node.name}' holds {shown}, not numbers"
    return None


@check("V206")
def unanswered_arithmetic(ctx: LintContext):
    survey = ctx.survey
    for site in ctx.sites():
        if site.role == "text":  # wording that prints nothing is R140's
            continue
        tested = _tested_for_emptiness(site.expr)
        for node in ast.walk(site.expr):
            match node:
                case ast.Binary(left=a, right=b):
                    operands: tuple[ast.Expr, ...] = (a, b)
                case ast.Unary(op="-", operand=a):
                    operands = (a,)
                case _:
                    continue
            for var in operands:
                if not isinstance(var, ast.Var) or var.name in tested or var.question in tested:
                    continue
                why = _may_be_unanswered(survey, var)
                if why is not None and (site.question is None or var.question != site.question.code):
                    yield finding("V206", f"`{ast.unparse(node)}` is empty while '{var.name}' is unanswered "
                                  f"({why}); LimeSurvey would compute on", var.span,
                                  f"sum({var.name}, …) counts an unanswered '{var.name}' as 0; or test "
                                  f"is_empty({var.name}) first")


def _tested_for_emptiness(expr: ast.Expr) -> set[str]:
    """The names an expression tests for being answered itself (is_empty(), count()):
    its author has then thought of the unanswered case."""
    tested = set()
    for node in ast.walk(expr):
        if isinstance(node, ast.Call):
            fn = FUNCTIONS[node.name]
            tested |= {a.name for i, a in enumerate(node.args) if fn.takes(i, Arg.ANSWERS)
                       and isinstance(a, ast.Var)}
    return tested


def _may_be_unanswered(survey, node: ast.Var) -> str | None:
    """Why the answer `node` reads may be missing, if it is a question's answer
    that may be: an input question not mandatory, or shown under a condition."""
    if node.attr != "value" or node.question is None:
        return None
    q = survey.by_code[node.question]
    if not q.is_input:
        return None
    if not q.mandatory:
        return "it is not mandatory"
    if q.condition is not None or survey.groups_by_code[q.group].condition is not None:
        return "it is shown under a condition"
    items = {i.code: i for i in q.items}
    if node.sub and node.sub[0] in items and items[node.sub[0]].condition is not None:
        return f"'{node.sub[0]}' is offered under a condition"
    return None


@check("V207")
def unanswered_orderings(ctx: LintContext):
    survey = ctx.survey
    for site in ctx.sites():
        if site.role == "text":
            continue
        tested = _tested_for_emptiness(site.expr)
        for node in ast.walk(site.expr):
            if not isinstance(node, ast.Compare) or node.op not in ("<", "<=", ">", ">="):
                continue
            # the side that is the smaller when the ordering holds: `a < b`, `b > a`
            small, large = (node.left, node.right) if node.op in ("<", "<=") else (node.right, node.left)
            for var, other in ((node.left, node.right), (node.right, node.left)):
                if not isinstance(var, ast.Var) or var.name in tested or var.question in tested:
                    continue
                if site.question is not None and var.question == site.question.code:
                    continue
                why = _may_be_unanswered(survey, var)
                if why is None:
                    continue
                if node.op in ("<=", ">="):
                    if not _may_be_empty_or_zero(survey, other, tested):
                        continue
                elif not (var is small and _may_be_text(survey, large)):
                    continue
                yield finding("V207", f"`{ast.unparse(node)}` is false while '{var.name}' is unanswered "
                              f"({why}); LimeSurvey's may be true", var.span,
                              f"say what an unanswered '{var.name}' means: not is_empty({var.name}) and …")
                break


def _may_be_empty_or_zero(survey, node: ast.Expr, tested: set[str]) -> bool:
    """Whether `node` may be 0 or empty, the values an unanswered question is
    `<=` and `>=` to in LimeSurvey."""
    if isinstance(node, ast.Literal):
        return node.value == "" or (not isinstance(node.value, bool) and as_number(node.value) == 0)
    if isinstance(node, ast.Var):
        if node.name in tested or node.question in tested:
            return False
        if _may_be_unanswered(survey, node) is not None:
            return True
        if node.attr != "value" or node.question is None:
            return False
        q = survey.by_code[node.question]
        codes = kind_of(q).codes(q, node.sub)
        if codes is not None:
            return any(c == "" or as_number(c) == 0 for c in codes)
        if kind_of(q).numeric(q, node.sub):  # bounds that leave 0 out
            low, high = as_number(getattr(q, "min", None)), as_number(getattr(q, "max", None))
            return not ((low is not None and low > 0) or (high is not None and high < 0))
        return True
    return False


def _may_be_text(survey, node: ast.Expr) -> bool:
    """Whether `node` is text that is not a number, greater than the empty text."""
    if isinstance(node, ast.Literal):
        return _is_text(node.value)
    return _text_valued(survey, node)


def _text_valued(survey, node: ast.Expr) -> bool:
    """Whether `node` reads a free-text answer or calls a function giving text."""
    if isinstance(node, ast.Var):
        return node.attr == "value" and node.question is not None \
            and kind_of(survey.by_code[node.question]).shape == "text"
    return isinstance(node, ast.Call) and FUNCTIONS[node.name].returns is Result.TEXT


@check("V208")
def text_as_truth(ctx: LintContext):
    survey = ctx.survey
    for site in ctx.sites():
        truths: list[ast.Expr] = [] if site.role in ("text", "value") else [site.expr]
        for node in ast.walk(site.expr):
            match node:
                case ast.Logical(left=a, right=b):
                    truths += (a, b)
                case ast.Unary(op="not", operand=a):
                    truths.append(a)
                case ast.Call(name="if", args=(c, *_)):
                    truths.append(c)
        for t in truths:
            if _text_valued(survey, t):
                yield finding("V208", f"`{ast.unparse(t)}` is a text used as true or false: \"0.0\" or "
                              "\" 0\" typed there is false in QDL, true in LimeSurvey", t.span,
                              f"compare explicitly: {ast.unparse(t)} != \"\"")


@check("V201", "V202", "V203", "V204", "V205")
def value_checks(ctx: LintContext):
    survey = ctx.survey
    for site in ctx.sites():
        for node in ast.walk(site.expr):
            match node:
                case ast.Compare(op=op, left=a, right=b):
                    yield from _compare(survey, node, op, a, b)
                    yield from _compare(survey, node, op, b, a)
                    yield from _quoted_numbers(node)
                case ast.Binary(op=op, left=a, right=b):
                    yield from _arithmetic(survey, node, (a, b))
                    if op == "+":
                        yield from _concatenation(survey, node, (a, b))
                    elif op != "%":  # no % in LimeSurvey at all
                        yield from _quoted_operands(node, (a, b))
                case ast.Unary(op="-", operand=a):
                    yield from _arithmetic(survey, node, (a,))
                case ast.Call():
                    yield from _arithmetic(survey, node, _number_arguments(node))


def _number_arguments(call: ast.Call) -> list[ast.Expr]:
    """The arguments a call reads as numbers (it fails on other text)."""
    fn = FUNCTIONS[call.name]
    return [a for i, a in enumerate(call.args) if fn.takes(i, Arg.NUMBER)]


def _compare(survey, node, op, var, other):
    if not isinstance(other, ast.Literal):
        return
    value = other.value
    if isinstance(var, ast.Var) and op in ("==", "!=") and value != "":
        codes = _codes(survey, var)
        if codes is not None and not any(equal(value, c) for c in codes):
            never = "never" if op == "==" else "always"
            shown = ast.unparse(other)
            hint = close_or_listed(str(value), codes, "answer codes")
            yield finding("V201", f"'{var.name}' never holds {shown}: `{ast.unparse(node)}` is {never} true",
                          other.span, hint)
    if _is_number_var(survey, var) and _is_text(value):
        meaning = ("is never true" if op == "==" else "is always true" if op == "!=" else
                   "compares letter by letter")
        yield finding("V202", f"'{var.name}' is a number compared with the text {ast.unparse(other)}: "
                      f"`{ast.unparse(node)}` {meaning}", node.span,
                      "compare with a number, without quotes")


def _quoted_numbers(node: ast.Compare):
    """V205, once for each quoted number an ordering compares, on either side."""
    if node.op not in ("<", "<=", ">", ">="):
        return
    for operand in (node.left, node.right):
        if isinstance(operand, ast.Literal) and isinstance(operand.value, str) and operand.value.strip() \
                and as_number(operand.value) is not None:
            yield finding("V205", f"{ast.unparse(operand)} is quoted: QDL compares it as a number, "
                          "LimeSurvey as text", operand.span, f"write {operand.value.strip()} without quotes")


def _arithmetic(survey, node, operands):
    for a in operands:
        why = _not_a_number(survey, a)
        if why:
            yield finding("V203", f"`{ast.unparse(node)}` fails while the survey runs: {why}", a.span)


def _quoted_operands(node, operands):
    for a in operands:
        if isinstance(a, ast.Literal) and isinstance(a.value, str) and as_number(a.value) is not None:
            yield finding("V204", f"`{node.op}` with the quoted number {ast.unparse(a)}: QDL computes, "
                          "LimeSurvey gives NaN", a.span, f"write {a.value.strip() or 0} without quotes")


def _concatenation(survey, node, operands):
    for a in operands:
        if isinstance(a, ast.Literal) and isinstance(a.value, str) and as_number(a.value) is not None:
            yield finding("V204", f"`+` with the quoted number {ast.unparse(a)}: QDL adds, LimeSurvey "
                          "would join texts", a.span, f"write {a.value.strip() or 0} without quotes")
        elif isinstance(a, ast.Var) and a.attr == "value" and a.question is not None \
                and kind_of(survey.by_code[a.question]).shape == "text":
            yield finding("V204", f"`+` with the free text '{a.name}': QDL adds numbers (and fails on "
                          "text), LimeSurvey would join texts", a.span,
                          "use a number question, or join() to join texts")


@check("V210")
def later_references(ctx: LintContext):
    survey = ctx.survey
    number = {q.code: q.number for q in survey.questions}
    first: dict[str, int] = {}
    for q in survey.questions:
        first.setdefault(q.group, q.number)
    for site in ctx.sites():
        if site.question is not None:
            # a question's logic may read itself and what comes before it
            earliest_later, owner = site.question.number + 1, f"'{site.question.code}'"
        elif site.group is not None and site.group.code in first:
            # a group's condition may read only what comes before the group
            earliest_later, owner = first[site.group.code], f"group '{site.group.code}'"
        else:
            continue
        for var in ast.variables(site.expr):
            if var.question and number[var.question] >= earliest_later:
                yield finding("V210", f"{_role(site)} of {owner} reads '{var.name}', which comes later",
                              var.span, f"'{var.question}' is still unanswered when {owner} is "
                              "reached: move it earlier")


def _role(site: Site) -> str:
    return {"condition": "the condition", "option": "an option condition", "row": "a row condition",
            "validation": "a validation", "value": "the value", "text": "the wording"}[site.role]
