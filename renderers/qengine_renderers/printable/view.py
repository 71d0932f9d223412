"""What the annex prints, worked out before any markup is written.

`annex(survey)` turns the survey model into plain frozen records: every wording as
its readings (`Wording`), every condition already said in words (`Said`), every
instruction and check as a sentence. The template only lays them out, so all the
decisions about what a reader is told live here, where they can be tested.
"""

from __future__ import annotations

from typing import Protocol, cast, overload

import attrs

from qengine.kinds.base import Choices, Numbers, Table
from qengine.kinds.registry import kind_of
from qengine.model import Group, Question, Survey, Text
from qengine.renderers.wording import Variant, frame, variants
from qengine.renderers.words import Clauses, Phrase, Reader, capitalize, flatten
from qengine_renderers.printable.words import Labels, labels

#: When the readings of a text share more than this many characters, the shared
#: text is printed once around the parts that vary. Headlines (question texts,
#: labels) read better whole, so they are factored only when really long.
_FACTOR_HEADLINE = 120
_FACTOR_PROSE = 40


@attrs.frozen
class Said:
    """A condition ready to print: a lead ("Répondre à cette question seulement
    si …") followed by one sentence, or by a list of nested conditions."""

    lead: str
    text: str = ""
    items: tuple[Said, ...] = ()


@attrs.frozen
class Reading:
    text: str
    when: Said | None = None


@attrs.frozen
class Wording:
    """A text as printed: one reading, or the readings of the part that varies
    between `prefix` and `suffix`."""

    prefix: str = ""
    readings: tuple[Reading, ...] = ()
    suffix: str = ""

    @property
    def varies(self) -> bool:
        return any(r.when is not None for r in self.readings)

    @property
    def plain(self) -> str:
        """The text on one line: as it is when it does not vary, else its readings
        separated by " / " (for titles, where there is no room for conditions)."""
        middle = " / ".join(r.text for r in self.readings)
        return " ".join(t for t in (self.prefix, middle, self.suffix) if t)


@attrs.frozen
class Choice:
    """An option of a choice, or a row of an array."""

    label: Wording
    condition: Said | None = None
    notes: tuple[str, ...] = ()


@attrs.frozen
class QuestionView:
    number: int
    code: str
    kind: str
    widget: str  # what is drawn: `Kind.widget`
    mandatory: bool
    text: Wording
    headline: str  # the wording in the question's title: as a respondent who answered nothing reads it
    condition: Said | None = None
    instructions: tuple[str, ...] = ()
    options: tuple[Choice, ...] = ()
    rows: tuple[Choice, ...] = ()
    columns: tuple[Wording, ...] = ()
    prefix: Wording | None = None
    suffix: Wording | None = None
    checks: tuple[str, ...] = ()
    pattern: str | None = None
    validations: tuple[tuple[Wording, Said], ...] = ()
    help: Wording | None = None
    formula: str | None = None


@attrs.frozen
class GroupView:
    code: str
    title: Wording
    description: Wording | None
    condition: Said | None
    questions: tuple[QuestionView, ...]


@attrs.frozen
class Annex:
    language: str
    labels: Labels
    title: Wording
    welcome: Wording | None
    summary: tuple[str, ...]
    groups: tuple[GroupView, ...]
    end: Wording | None


def annex(survey: Survey) -> Annex:
    words = labels(survey.language)
    reader = Reader(survey)
    title = survey.title if survey.title is not None else Text((survey.code,), survey.span)
    count = len(survey.questions)
    summary = (words.questions[count != 1].format(n=count), *_path(survey, words), words.mandatory_legend)
    return Annex(
        language=survey.language,
        labels=words,
        title=_wording(title, reader.about(None), words),
        welcome=_wording(survey.welcome, reader.about(None), words, prose=True),
        summary=summary,
        groups=tuple(_group(g, survey, reader, words) for g in survey.groups),
        end=_wording(survey.end, reader.about(None), words, prose=True),
    )


def _path(survey: Survey, words: Labels) -> tuple[str, ...]:
    """How many questions a respondent sees, and how long it takes, each said as what it
    is: counts over the shortest and longest paths, and a time estimated from reading
    speed and path lengths (`qengine lint --stats`), which a reader must not take for
    the author's own figure in the welcome text."""
    from qengine.lint.stats import WORDS_PER_MINUTE, NoStatistics, path_statistics  # z3: only when printing

    try:
        stats = path_statistics(survey)
    except NoStatistics:  # nobody completes the survey, or the solver gave up
        return ()
    low, high = stats.minutes
    fast, slow = WORDS_PER_MINUTE
    shown = words.shown[stats.fewest == stats.most].format(
        fewest=stats.fewest, most=stats.most, inexact="" if stats.exact else words.inexact)
    duration = words.duration[low == high].format(
        low=_minutes(low, words), high=_minutes(high, words), fast=fast, slow=slow)
    return shown, duration


def _minutes(n: int, words: Labels) -> str:
    return words.minutes[n != 1].format(n=n)


def _group(group: Group, survey: Survey, reader: Reader, words: Labels) -> GroupView:
    r = reader.about(None)
    return GroupView(
        code=group.code,
        title=_wording(group.title, r, words),
        description=_wording(group.description, r, words, prose=True),
        condition=_said(group.condition, "group", r, words),
        questions=tuple(_question(survey.question(code), reader.about(code), words)
                        for code in group.questions),
    )


# What the annex reads of a question, by its widget (beyond `Choices`, `Table`, `Numbers`).
class _NumberTable(Table, Numbers, Protocol):
    @property
    def default(self) -> int | float | None: ...


class _NumberBox(Numbers, Protocol):
    @property
    def default(self) -> int | float | None: ...

    @property
    def prefix(self) -> Text | None: ...

    @property
    def suffix(self) -> Text | None: ...


class _Ticks(Protocol):  # a multiple choice: fewest and most ticks
    @property
    def min(self) -> int | None: ...

    @property
    def max(self) -> int | None: ...


class _TextBox(Protocol):
    @property
    def default(self) -> str | None: ...

    @property
    def max_length(self) -> int | None: ...

    @property
    def pattern(self) -> str | None: ...


def _question(q: Question, r: Reader, words: Labels) -> QuestionView:
    kind = kind_of(q)
    widget = kind.widget.name
    fields: dict = dict(
        number=q.number, code=q.code, kind=q.kind, widget=widget, mandatory=q.mandatory,
        instructions=kind.describe(q, r.language),
        text=_wording(q.text, r, words) or Wording(),
        headline=r.reading(q.text),
        condition=_said(q.condition, "question", r, words),
        validations=tuple((_wording(v.message, r, words, prose=True), _said(v.rule, "validation", r, words))
                          for v in q.validations),
    )
    # What is printed follows the widget, and reads the question's own statements.
    if widget in ("choice", "choices"):
        default = getattr(q, "default", None)
        fields.update(options=tuple(
            _choice(o.label, o.condition, "option", r, words,
                    (words.ticked_by_default,) * (o.code == default) + (words.exclusive,) * o.exclusive)
            for o in cast(Choices, q).options))
        if widget == "choices":
            fields.update(checks=_ticks(cast(_Ticks, q), words))
    elif widget in ("choice_table", "number_table"):
        table = cast(_NumberTable, q)
        fields.update(rows=tuple(_choice(row.label, row.condition, "row", r, words) for row in table.rows),
                      columns=tuple(_wording(c.label, r, words) for c in table.columns))
        if widget == "number_table":
            checks = list(_bounds(table.min, table.max, words.each_value, r))
            if table.default is not None:
                checks.append(words.prefilled_each.format(value=r.number(table.default)))
            fields.update(checks=tuple(checks))
    elif widget == "number":
        box = cast(_NumberBox, q)
        checks = list(_bounds(box.min, box.max, words.value, r))
        if box.default is not None:
            checks.append(words.prefilled.format(value=r.number(box.default)))
        fields.update(checks=tuple(checks), prefix=_wording(box.prefix, r, words),
                      suffix=_wording(box.suffix, r, words))
    elif widget in ("text", "long_text"):
        text = cast(_TextBox, q)
        checks = [words.max_length.format(n=text.max_length)] if text.max_length else []
        if text.default:
            checks.append(words.prefilled.format(value=text.default))
        fields.update(checks=tuple(checks), pattern=text.pattern)
    if q.formula is not None:
        fields.update(formula=capitalize(r.term(q.formula)))
    fields["help"] = _wording(q.help, r, words, prose=True)
    return QuestionView(**fields)


def _choice(label: Text, condition, context: str, r: Reader, words: Labels, notes=()) -> Choice:
    return Choice(_wording(label, r, words) or Wording(), _said(condition, context, r, words), tuple(notes))


def _ticks(q: _Ticks, words: Labels) -> tuple[str, ...]:
    """The number of ticks asked (a multiple choice's min and max)."""
    low, high = q.min, q.max
    if low is None and high is None:
        return ()
    if low is not None and high is not None:
        key = "exactly" if low == high else "both"
    elif low is not None:
        key = "min1" if low == 1 else "min"
    else:
        key = "max1" if high == 1 else "max"
    return (words.ticks[key].format(min=low, max=high),)


def _bounds(low, high, templates: dict[str, str], r: Reader) -> tuple[str, ...]:
    if low is None and high is None:
        return ()
    key = "both" if low is not None and high is not None else "min" if low is not None else "max"
    return (templates[key].format(min=r.number(low) if low is not None else "",
                                  max=r.number(high) if high is not None else ""),)


@overload
def _wording(text: Text, r: Reader, words: Labels, prose: bool = False) -> Wording: ...
@overload
def _wording(text: Text | None, r: Reader, words: Labels, prose: bool = False) -> Wording | None: ...
def _wording(text: Text | None, r: Reader, words: Labels, prose: bool = False) -> Wording | None:
    """A text's readings; when they share a long common part, it is printed once.
    `prose` is for help, descriptions and messages, as opposed to headlines."""
    if text is None:
        return None
    readings = variants(text, r)
    if len(readings) == 1:
        return Wording(readings=(Reading(readings[0].text),))
    prefix, middles, suffix = frame(readings)
    if len(prefix) + len(suffix) <= (_FACTOR_PROSE if prose else _FACTOR_HEADLINE):
        prefix, middles, suffix = "", readings, ""
    return Wording(prefix, tuple(_reading(v, r, words) for v in middles), suffix)


def _reading(v: Variant, r: Reader, words: Labels) -> Reading:
    text = v.text or words.no_text
    return Reading(text, None if v.when is None else _phrase_said(v.when, "variant", r, words))


def _said(expr, context: str, r: Reader, words: Labels) -> Said | None:
    if expr is None:
        return None
    return _phrase_said(r.condition(expr), context, r, words)


def _phrase_said(phrase: Phrase, context: str, r: Reader, words: Labels) -> Said:
    start, simple = words.leads[context]
    if _reads_as_sentence(phrase):
        sentence = flatten(phrase, r.words)
        if not simple:  # a lead that runs into the sentence: "si la réponse était …"
            return Said(start, sentence)
        if isinstance(phrase, Clauses) and phrase.op == "or":
            return Said(start + words.any_suffix, capitalize(sentence))
        return Said(start + simple, capitalize(sentence))
    assert isinstance(phrase, Clauses)  # a phrase that is not a sentence is a list of clauses
    lead = start + (words.all_suffix if phrase.op == "and" else words.any_suffix)
    return Said(lead, items=tuple(_item(p, r) for p in phrase.items))


def _item(phrase: Phrase, r: Reader) -> Said:
    if _reads_as_sentence(phrase):
        return Said("", capitalize(flatten(phrase, r.words)))
    assert isinstance(phrase, Clauses)  # a phrase that is not a sentence is a list of clauses
    lead = r.words.all_of if phrase.op == "and" else r.words.any_of
    return Said(capitalize(lead), items=tuple(_item(p, r) for p in phrase.items))


def _reads_as_sentence(phrase: Phrase) -> bool:
    """One clause, or two plain clauses: a list would only make them harder to read."""
    return isinstance(phrase, str) or (len(phrase.items) <= 2 and all(isinstance(p, str) for p in phrase.items))
