"""From the `.lss` XML to the `record.Survey` of one language.

LimeSurvey has written two layouts. Up to LimeSurvey 3 (DBVersion below 400), each
row of `groups`, `questions`, `subquestions`, `answers` and `defaultvalues` is
repeated once per language with its texts inside. From LimeSurvey 4 on, those rows
hold no text and the texts are in `group_l10ns`, `question_l10ns`, `answer_l10ns`
and `defaultvalue_l10ns`. The reader tells them apart by the presence of the
`*_l10ns` tables, not by the DBVersion, so that a file between the two still reads.
"""

from __future__ import annotations

from collections import defaultdict

from qengine.lss import record
from qengine.lss.notes import Notes
from qengine.lss.xmldoc import Element, LssError, Row, elements, table

#: The DBVersions of LimeSurvey's survey structure files this importer knows:
#: LimeSurvey 2.0 (about 145) to 6.x (6.2 writes 612).
OLDEST, NEWEST = 140, 699


def read(root: Element, language: str | None, notes: Notes) -> record.Survey:
    if root.tag != "document":
        raise LssError(f"this is not a LimeSurvey survey file: its root element is <{root.tag}>, "
                       "not <document>", root.line)
    doctype = root.child("LimeSurveyDocType")
    if doctype is None or doctype.text.strip() != "Survey":
        kind = doctype.text.strip() if doctype is not None else "none"
        raise LssError(f"this LimeSurvey file is not a survey structure export (LimeSurveyDocType: {kind})",
                       doctype.line if doctype is not None else root.line,
                       "export the whole survey from LimeSurvey: Display/Export > Survey structure (.lss)")
    dbversion = _dbversion(root)
    surveys = table(root, "surveys")
    if not surveys:
        raise LssError("the file has no <surveys> table: it describes no survey", root.line)
    settings = surveys[0]
    languages = tuple(e.text.strip() for e in elements(root, "languages", "language") if e.text.strip())
    base = settings.get("language").strip() or (languages[0] if languages else "en")
    if not languages:
        languages = (base,)
    chosen = language or base
    if chosen not in languages:
        listed = root.child("languages")
        raise LssError(f"the survey has no language {chosen!r}; its languages are: {', '.join(languages)}",
                       listed.line if listed is not None else root.line)
    texts = _Texts(root, chosen, base, notes)
    settings_text = texts.survey()
    groups = texts.groups()
    questions = texts.questions(groups)
    conditions = tuple(record.Condition(r.get("qid"), r.get("cqid"), r.get("cfieldname"), r.get("method").strip(),
                                        r.get("value"), _int(r.get("scenario"), 1), r.line)
                       for r in table(root, "conditions"))
    return record.Survey(
        sid=settings.get("sid"), dbversion=dbversion, language=chosen, base_language=base, languages=languages,
        title=settings_text.get("surveyls_title"), description=settings_text.get("surveyls_description"),
        welcome=settings_text.get("surveyls_welcometext"), end=settings_text.get("surveyls_endtext"),
        format=settings.get("format", "G").strip() or "G", groups=groups, questions=questions,
        conditions=conditions)


def _dbversion(root: Element) -> int:
    element = root.child("DBVersion")
    if element is None:
        raise LssError("the file has no <DBVersion>: it is not a LimeSurvey export", root.line)
    try:
        number = int(element.text.strip())
    except ValueError:
        raise LssError(f"<DBVersion> is {element.text.strip()!r}, not a number", element.line) from None
    if not OLDEST <= number <= NEWEST:
        raise LssError(f"DBVersion {number} is not a LimeSurvey version this importer knows "
                       f"(DBVersion {OLDEST} to {NEWEST}: LimeSurvey 2.0 to 6.x)", element.line,
                       "export the survey again from a LimeSurvey 2.x to 6.x, or report the file")
    return number


def _int(text: str, default: int = 0) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return default


class _Texts:
    """Rows and their texts in the chosen language, for either layout."""

    def __init__(self, root: Element, language: str, base: str, notes: Notes):
        self.root, self.language, self.base, self.notes = root, language, base, notes
        self.split = bool(table(root, "question_l10ns") or table(root, "group_l10ns"))

    def _pick(self, rows: list[Row], key: str) -> dict[str, Row]:
        """One row per `key`: the chosen language's, else the base language's."""
        by_key: dict[str, dict[str, Row]] = defaultdict(dict)
        for r in rows:
            by_key[r.get(key)][r.get("language").strip()] = r
        out = {}
        for k, langs in by_key.items():
            row = langs.get(self.language) or langs.get(self.base) or next(iter(langs.values()))
            if self.language not in langs:
                self.notes.add(f"no text in '{self.language}' for this element: the "
                               f"'{row.get('language')}' text is used", row.line)
            out[k] = row
        return out

    def survey(self) -> Row:
        rows = table(self.root, "surveys_languagesettings")
        by_language = {r.get("surveyls_language").strip(): r for r in rows}
        return by_language.get(self.language) or by_language.get(self.base) or (rows[0] if rows else Row({}, 0))

    def groups(self) -> tuple[record.Group, ...]:
        rows = table(self.root, "groups")
        if self.split:
            texts = self._pick(table(self.root, "group_l10ns"), "gid")
            base = {r.get("gid"): r for r in rows}
        else:
            texts = base = self._pick(rows, "gid")
        groups = []
        for gid, row in base.items():
            text = texts.get(gid, row)
            groups.append(record.Group(gid, _int(row.get("group_order")), text.get("group_name"),
                                       text.get("description"), row.get("grelevance"), row.line))
        return tuple(sorted(groups, key=lambda g: (g.order, _int(g.gid))))

    def _question_rows(self, name: str) -> tuple[dict[str, Row], dict[str, Row]]:
        rows = table(self.root, name)
        if self.split:
            return {r.get("qid"): r for r in rows}, self._l10n
        picked = self._pick(rows, "qid")
        return picked, picked

    @property
    def _l10n(self) -> dict[str, Row]:
        if not hasattr(self, "_l10n_cache"):
            self._l10n_cache = self._pick(table(self.root, "question_l10ns"), "qid")
        return self._l10n_cache

    def questions(self, groups: tuple[record.Group, ...]) -> tuple[record.Question, ...]:
        main, main_texts = self._question_rows("questions")
        subs, sub_texts = self._question_rows("subquestions")
        # LimeSurvey 2 files may list subquestions in <questions> too (parent_qid set)
        for qid, row in list(main.items()):
            if row.get("parent_qid", "0").strip() not in ("", "0"):
                subs[qid] = main.pop(qid)
                sub_texts.setdefault(qid, main_texts.get(qid, row))
        by_parent: dict[str, list[record.Subquestion]] = defaultdict(list)
        for qid, row in subs.items():
            text = sub_texts.get(qid, row)
            by_parent[row.get("parent_qid")].append(record.Subquestion(
                qid, row.get("title").strip(), text.get("question"), row.get("relevance"),
                _int(row.get("scale_id")), _int(row.get("question_order")), row.line))
        answers = self._answers()
        attributes = self._attributes()
        defaults = self._defaults()
        order = {g.gid: i for i, g in enumerate(groups)}
        questions = []
        for qid, row in main.items():
            if row.get("gid") not in order:
                self.notes.add(f"question {row.get('title')} belongs to no group of the survey: left out",
                               row.line)
                continue
            text = main_texts.get(qid, row)
            questions.append(record.Question(
                qid=qid, gid=row.get("gid"), type=row.get("type").strip(), code=row.get("title").strip(),
                text=text.get("question"), help=text.get("help"), mandatory=row.get("mandatory").strip() == "Y",
                relevance=row.get("relevance"), other=row.get("other").strip() == "Y", preg=row.get("preg"),
                order=_int(row.get("question_order")), line=row.line, attributes=attributes.get(qid, {}),
                subquestions=tuple(by_parent.get(qid, ())), answers=tuple(answers.get(qid, ())),
                defaults=tuple(defaults.get(qid, ()))))
        return tuple(sorted(questions, key=lambda q: (order[q.gid], q.order, _int(q.qid))))

    def _answers(self) -> dict[str, list[record.Answer]]:
        rows = table(self.root, "answers")
        out: dict[str, list[record.Answer]] = defaultdict(list)
        if table(self.root, "answer_l10ns"):
            texts = self._pick(table(self.root, "answer_l10ns"), "aid")
            for r in rows:
                text = texts.get(r.get("aid"), r)
                out[r.get("qid")].append(record.Answer(r.get("code").strip(), text.get("answer"),
                                                       _int(r.get("scale_id")), _int(r.get("sortorder")), r.line))
            return out
        keyed = defaultdict(list)
        for r in rows:
            keyed[(r.get("qid"), r.get("code"), r.get("scale_id"))].append(r)
        for (qid, code, scale), versions in keyed.items():
            row = next((r for r in versions if r.get("language") == self.language),
                       next((r for r in versions if r.get("language") == self.base), versions[0]))
            out[qid].append(record.Answer(code.strip(), row.get("answer"), _int(scale), _int(row.get("sortorder")),
                                          row.line))
        return out

    def _attributes(self) -> dict[str, dict[str, str]]:
        """Each question's attributes: the chosen language's value of a translated
        attribute, else the one without language, else the base language's."""
        rank = {self.language: 0, "": 1, self.base: 2}
        best: dict[tuple[str, str], tuple[int, str]] = {}
        for r in table(self.root, "question_attributes"):
            lang = r.get("language").strip()
            if lang not in rank:
                continue
            key = (r.get("qid"), r.get("attribute"))
            if key not in best or rank[lang] < best[key][0]:
                best[key] = (rank[lang], r.get("value"))
        out: dict[str, dict[str, str]] = defaultdict(dict)
        for (qid, name), (_, value) in best.items():
            out[qid][name] = value
        return out

    def _defaults(self) -> dict[str, list[record.Default]]:
        out: dict[str, list[record.Default]] = defaultdict(list)
        rows = table(self.root, "defaultvalues")
        if table(self.root, "defaultvalue_l10ns"):
            texts = self._pick(table(self.root, "defaultvalue_l10ns"), "dvid")
            for r in rows:
                text = texts.get(r.get("dvid"))
                value = text.get("defaultvalue") if text is not None else r.get("defaultvalue")
                out[r.get("qid")].append(record.Default(r.get("sqid", "0"), _int(r.get("scale_id")),
                                                        r.get("specialtype"), value, r.line))
            return out
        keyed = defaultdict(list)
        for r in rows:
            keyed[(r.get("qid"), r.get("sqid"), r.get("scale_id"), r.get("specialtype"))].append(r)
        for (qid, sqid, scale, special), versions in keyed.items():
            row = next((r for r in versions if r.get("language") in (self.language, "")),
                       next((r for r in versions if r.get("language") == self.base), versions[0]))
            out[qid].append(record.Default(sqid or "0", _int(scale), special, row.get("defaultvalue"), row.line))
        return out
