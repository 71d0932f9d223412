"""Write the `.lss` fixtures of tests/test_lss_import.py (our own, small, not
LimeSurvey's demo surveys, which are GPL).

    python tests/lss/make_fixtures.py      # rewrites tests/lss/*.lss

Each survey is described once below and written in either of LimeSurvey's two
layouts: texts inside each row (LimeSurvey 2 and 3, DBVersion 177 here) or in
`*_l10ns` tables (LimeSurvey 4 to 6, DBVersion 495 or 612). The broken files
(truncated XML, unknown DBVersion...) are written by hand at the end.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
SID = "12345"


def q(qid, gid, type_, code, text, *, mandatory="N", relevance="1", other="N", preg="", help_="",
      subs=(), answers=(), attributes=(), defaults=()):
    """A question: subs are (qid, code, text, scale, relevance), answers (code, text, scale)."""
    return dict(qid=qid, gid=gid, type=type_, code=code, text=text, mandatory=mandatory, relevance=relevance,
                other=other, preg=preg, help=help_, subs=list(subs), answers=list(answers),
                attributes=list(attributes), defaults=list(defaults))


def sub(qid, code, text, scale=0, relevance="1"):
    return (qid, code, text, scale, relevance)


ALL_TYPES = [
    q(10, 1, "L", "colour", "Favourite colour?", mandatory="Y", other="Y",
      answers=[("A1", "Red", 0), ("A2", "Blue", 0)], attributes=[("other_replace_text", "Another colour")],
      defaults=[("0", "A2")]),
    q(11, 1, "!", "pet", "Which pet?", answers=[("cat", "Cat", 0), ("dog", "Dog", 0)]),
    q(12, 1, "O", "drink", "Which drink?", answers=[("tea", "Tea", 0), ("cof", "Coffee", 0)]),
    q(13, 1, "5", "mood", "Your mood, 1 to 5?"),
    q(14, 1, "G", "gender", "Gender?"),
    q(15, 1, "Y", "agree", "Do you agree?"),
    q(16, 1, "I", "lang", "Language?"),
    q(17, 1, "M", "fruit", "Which fruits?", other="Y",
      subs=[sub(101, "apple", "Apple"), sub(102, "pear", "Pear"), sub(103, "none", "None")],
      attributes=[("exclude_all_others", "none"), ("min_answers", "1"), ("max_answers", "2")]),
    q(18, 1, "P", "veg", "Which vegetables, and why?", subs=[sub(104, "leek", "Leek"), sub(105, "kale", "Kale")]),
    q(19, 2, "A", "rate5", "Rate from 1 to 5", subs=[sub(106, "r1", "Service")]),
    q(20, 2, "B", "rate10", "Rate from 1 to 10", subs=[sub(107, "r1", "Price")]),
    q(21, 2, "C", "ynu", "Yes, no, uncertain?", subs=[sub(108, "r1", "Rain")]),
    q(22, 2, "E", "isd", "Increase, same, decrease?", subs=[sub(109, "r1", "Taxes")]),
    q(23, 2, "F", "freq", "How often?", subs=[sub(110, "bus", "Bus"), sub(111, "car", "Car")],
      answers=[("d", "Daily", 0), ("w", "Weekly", 0)], attributes=[("array_filter", "fruit")]),
    q(24, 2, "H", "bycol", "By column", subs=[sub(112, "c1", "First")], answers=[("y", "Yes", 0), ("n", "No", 0)]),
    q(25, 2, "1", "dual", "Two scales", subs=[sub(113, "s1", "Bread")],
      answers=[("a", "Good", 0), ("b", "Bad", 0), ("x", "Often", 1), ("z", "Rarely", 1)]),
    q(26, 2, ":", "nums", "How many?", subs=[sub(114, "home", "Home"), sub(115, "work", "Work"),
                                           sub(116, "pc", "Computers", 1), sub(117, "tv", "Screens", 1)],
      attributes=[("multiflexible_min", "0"), ("multiflexible_max", "5")]),
    q(27, 2, ";", "texts", "Names?", subs=[sub(118, "r1", "Friend"), sub(119, "c1", "First name", 1)]),
    q(28, 3, "K", "amounts", "Amounts", subs=[sub(120, "a", "Rent"), sub(121, "b", "Food")],
      attributes=[("max_num_value", "100"), ("num_value_int_only", "1")]),
    q(29, 3, "N", "age", "Your age?", mandatory="Y",
      attributes=[("min_num_value_n", "18"), ("max_num_value_n", "120"), ("num_value_int_only", "1"),
                  ("suffix", "years")], defaults=[("0", "30")]),
    q(30, 3, "S", "zip", "Postcode?", preg="/^[0-9]{5}$/", attributes=[("maximum_chars", "5")]),
    q(31, 3, "T", "story", "Tell us"),
    q(32, 3, "U", "essay", "Write more"),
    q(33, 3, "D", "born", "Birth date?", attributes=[("date_min", "1900-01-01"), ("date_max", "2024-12-31 23:59"),
                                                     ("date_format", "dd/mm/yyyy HH:MM")]),
    q(34, 3, "Q", "names", "Several names", subs=[sub(122, "n1", "Name 1"), sub(123, "n2", "Name 2")]),
    q(35, 3, "R", "rank", "Rank these", answers=[("x", "X", 0), ("y", "Y", 0), ("z", "Z", 0)]),
    q(36, 4, "X", "info", "Thank you {age.shown}."),
    q(37, 4, "*", "double", "{age * 2}", attributes=[("hidden", "1")]),
    q(38, 4, "S", "score", "Score?", attributes=[("numbers_only", "1"),
                                              ("em_validation_q", "is_empty(this) or this <= 10"),
                                              ("em_validation_q_tip", "At most 10.")]),
    q(39, 4, "|", "upload", "Upload a file"),
]

SEMANTICS = [
    # LimeSurvey hides `later` when `middle` is hidden, although `middle != "A"` reads
    # true of an empty answer: a relevance reading a hidden question without .NAOK is false.
    q(40, 1, "Y", "first", "Go on?"),
    q(41, 1, "L", "middle", "Which?", relevance='first == "Y"', answers=[("A", "A", 0), ("B", "B", 0)]),
    q(42, 1, "S", "later", "Why not A?", relevance='middle != "A"'),
    q(43, 1, "S", "naok", "Shown when middle is not A, hidden or not", relevance='middle.NAOK != "A"'),
    # "" < "0" is true in LimeSurvey
    q(44, 1, "N", "count", "How many?"),
    q(45, 1, "S", "negative", "Below zero?", relevance="count.NAOK < 0"),
    # never shown by LimeSurvey (hidden), its default is its answer
    q(46, 1, "S", "secret", "Hidden", attributes=[("hidden", "1")], defaults=[("0", "abc")]),
    # a row filtered out is irrelevant: `filtered_a != "Y"` is then false in LimeSurvey
    q(47, 1, "M", "source", "Source", subs=[sub(150, "a", "A"), sub(151, "b", "B")]),
    q(48, 1, "M", "filtered", "Filtered", subs=[sub(152, "a", "A"), sub(153, "b", "B")],
      attributes=[("array_filter", "source")]),
    q(49, 1, "S", "notticked", "Not ticked?", relevance='filtered_a != "Y" and secret == "abc"'),
]

CODES = [
    q(50, 1, "L", "my_list", "List", answers=[("1", "One", 0), ("2", "Two", 0), ("10", "Ten", 0)]),
    q(51, 1, "S", "1st", "Starts with a digit", relevance="my_list == 1"),
    q(52, 1, "S", "not", "A reserved word", relevance="my_list.NAOK == 10 or !is_empty(1st)"),
    q(53, 1, "M", "multi", "Checks", subs=[sub(130, "01", "Zero one"), sub(131, "a_b", "A b")]),
    q(54, 1, "S", "after", "After", relevance="multi_01 == 'Y' or multi_a_b == 'Y'"),
]

CONDITIONS = [
    q(60, 1, "L", "smoke", "Do you smoke?", answers=[("Y", "Yes", 0), ("N", "No", 0)]),
    q(61, 1, "M", "kind", "What?", subs=[sub(140, "cig", "Cigarettes"), sub(141, "pipe", "Pipe")]),
    q(62, 1, "N", "howmany", "How many a day?", relevance=""),
    q(63, 1, "S", "pattern", "Why?", relevance=""),
]
# (cid, qid, cqid, cfieldname, method, value, scenario)
CONDITION_ROWS = [
    (1, 62, 60, f"{SID}X1X60", "==", "Y", 1),
    (2, 62, 61, f"{SID}X1X61", "==", "cig", 1),
    (3, 62, 61, f"{SID}X1X61", "==", "pipe", 1),
    (4, 63, 62, f"{SID}X1X62", ">", "10", 1),
    (5, 63, 60, f"{SID}X1X60", "==", "N", 2),
]

GROUPS = {1: ("Choices", "", "1"), 2: ("Arrays", "Rows and columns", "1"), 3: ("Inputs", "", "1"),
          4: ("The end", "", "age > 0")}


def cdata(value) -> str:
    return f"<![CDATA[{value}]]>"


def table(name: str, fields: list[str], rows: list[dict]) -> list[str]:
    if not rows:
        return []
    out = [f" <{name}>", "  <fields>", *(f"   <fieldname>{f}</fieldname>" for f in fields), "  </fields>",
           "  <rows>"]
    for r in rows:
        out.append("   <row>")
        out += [f"    <{f}>{cdata(r.get(f, ''))}</{f}>" for f in fields if f in r]
        out.append("   </row>")
    out += ["  </rows>", f" </{name}>"]
    return out


def survey(questions, *, dbversion: int, languages=("en",), groups=None, conditions=(), title="Fixture"):
    """A .lss: texts inline (dbversion < 400) or in l10ns tables. In a second
    language every text is prefixed by the language code."""
    split = dbversion >= 400
    groups = groups or {gid: v for gid, v in GROUPS.items() if any(x["gid"] == gid for x in questions)}
    base = languages[0]

    def tr(text, lang):
        return text if lang == base or not text else f"[{lang}] {text}"

    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<document>",
             " <LimeSurveyDocType>Survey</LimeSurveyDocType>", f" <DBVersion>{dbversion}</DBVersion>",
             " <languages>", *(f"  <language>{lang}</language>" for lang in languages), " </languages>"]
    answers, answer_l10n, group_rows, group_l10n = [], [], [], []
    question_rows, sub_rows, question_l10n, attributes, defaults, default_l10n = [], [], [], [], [], []
    aid = dvid = 0
    for order, (gid, (name, description, relevance)) in enumerate(groups.items(), 1):
        if split:
            group_rows.append(dict(gid=gid, sid=SID, group_order=order, grelevance=relevance))
            group_l10n += [dict(id=len(group_l10n) + 1, gid=gid, group_name=tr(name, lang),
                                description=tr(description, lang), language=lang) for lang in languages]
        else:
            group_rows += [dict(gid=gid, sid=SID, group_name=tr(name, lang), group_order=order,
                                description=tr(description, lang), language=lang, grelevance=relevance)
                           for lang in languages]
    for order, x in enumerate(questions, 1):
        row = dict(qid=x["qid"], parent_qid=0, sid=SID, gid=x["gid"], type=x["type"], title=x["code"],
                   preg=x["preg"], other=x["other"], mandatory=x["mandatory"], question_order=order, scale_id=0,
                   same_default=0, relevance=x["relevance"])
        for sq in x["subs"]:
            srow = dict(qid=sq[0], parent_qid=x["qid"], sid=SID, gid=x["gid"], type="T", title=sq[1], preg="",
                        other="N", mandatory="", question_order=len(sub_rows) + 1, scale_id=sq[3],
                        same_default=0, relevance=sq[4])
            if split:
                sub_rows.append(srow)
                question_l10n += [dict(id=len(question_l10n) + 1, qid=sq[0], question=tr(sq[2], lang), help="",
                                       language=lang) for lang in languages]
            else:
                sub_rows += [dict(srow, question=tr(sq[2], lang), help="", language=lang) for lang in languages]
        if split:
            question_rows.append(row)
            question_l10n += [dict(id=len(question_l10n) + 1, qid=x["qid"], question=tr(x["text"], lang),
                                   help=tr(x["help"], lang), language=lang) for lang in languages]
        else:
            question_rows += [dict(row, question=tr(x["text"], lang), help=tr(x["help"], lang), language=lang)
                              for lang in languages]
        for sort, (code, text, scale) in enumerate(x["answers"], 1):
            aid += 1
            if split:
                answers.append(dict(aid=aid, qid=x["qid"], code=code, sortorder=sort, assessment_value=0,
                                    scale_id=scale))
                answer_l10n += [dict(id=len(answer_l10n) + 1, aid=aid, answer=tr(text, lang), language=lang)
                                for lang in languages]
            else:
                answers += [dict(qid=x["qid"], code=code, answer=tr(text, lang), sortorder=sort,
                                 assessment_value=0, language=lang, scale_id=scale) for lang in languages]
        for name, value in x["attributes"]:
            attributes.append(dict(qid=x["qid"], attribute=name, value=value, language=""))
        for sqid, value in x["defaults"]:
            dvid += 1
            if split:
                defaults.append(dict(dvid=dvid, qid=x["qid"], scale_id=0, sqid=sqid, specialtype=""))
                default_l10n += [dict(id=len(default_l10n) + 1, dvid=dvid, language=lang, defaultvalue=value)
                                 for lang in languages]
            else:
                defaults += [dict(qid=x["qid"], scale_id=0, sqid=sqid, language=lang, specialtype="",
                                  defaultvalue=value) for lang in languages]
    text_fields = [] if split else ["question", "help", "language"]
    qfields = ["qid", "parent_qid", "sid", "gid", "type", "title", *text_fields[:1], "preg", *text_fields[1:2],
               "other", "mandatory", "question_order", *text_fields[2:], "scale_id", "same_default", "relevance"]
    lines += table("answers", ["aid", "qid", "code", "sortorder", "assessment_value", "scale_id"] if split else
                   ["qid", "code", "answer", "sortorder", "assessment_value", "language", "scale_id"], answers)
    lines += table("answer_l10ns", ["id", "aid", "answer", "language"], answer_l10n)
    lines += table("conditions", ["cid", "qid", "cqid", "cfieldname", "method", "value", "scenario"],
                   [dict(zip(["cid", "qid", "cqid", "cfieldname", "method", "value", "scenario"], c, strict=True))
                    for c in conditions])
    lines += table("defaultvalues", ["dvid", "qid", "scale_id", "sqid", "specialtype"] if split else
                   ["qid", "scale_id", "sqid", "language", "specialtype", "defaultvalue"], defaults)
    lines += table("defaultvalue_l10ns", ["id", "dvid", "language", "defaultvalue"], default_l10n)
    lines += table("groups", ["gid", "sid", "group_order", "grelevance"] if split else
                   ["gid", "sid", "group_name", "group_order", "description", "language", "grelevance"], group_rows)
    lines += table("group_l10ns", ["id", "gid", "group_name", "description", "language"], group_l10n)
    lines += table("questions", qfields, question_rows)
    lines += table("subquestions", qfields, sub_rows)
    lines += table("question_l10ns", ["id", "qid", "question", "help", "language"], question_l10n)
    lines += table("question_attributes", ["qid", "attribute", "value", "language"], attributes)
    lines += table("surveys", ["sid", "admin", "language", "additional_languages", "format"],
                   [dict(sid=SID, admin="", language=base, additional_languages=" ".join(languages[1:]),
                         format="G")])
    lines += table("surveys_languagesettings", ["surveyls_survey_id", "surveyls_language", "surveyls_title",
                                                "surveyls_description", "surveyls_welcometext", "surveyls_endtext"],
                   [dict(surveyls_survey_id=SID, surveyls_language=lang, surveyls_title=tr(title, lang),
                         surveyls_description="", surveyls_welcometext=tr("<p>Welcome &amp; thanks</p>", lang),
                         surveyls_endtext="") for lang in languages])
    lines.append("</document>")
    return "\n".join(lines) + "\n"


def main():
    files = {
        "all_types_v6.lss": survey(ALL_TYPES, dbversion=612),
        "all_types_v2.lss": survey(ALL_TYPES, dbversion=177),
        "multilingual_v5.lss": survey(ALL_TYPES[:3], dbversion=495, languages=("en", "fr", "de")),
        "multilingual_v2.lss": survey(ALL_TYPES[:3], dbversion=177, languages=("de", "en")),
        "semantics.lss": survey(SEMANTICS, dbversion=612),
        "codes.lss": survey(CODES, dbversion=350),
        "conditions_v2.lss": survey(CONDITIONS, dbversion=177, conditions=CONDITION_ROWS),
    }
    good = files["semantics.lss"]
    files["truncated.lss"] = good[: len(good) // 2]
    files["broken.lss"] = good.replace("</questions>", "</question>")
    files["unknown_dbversion.lss"] = good.replace("<DBVersion>612</DBVersion>", "<DBVersion>9000</DBVersion>")
    files["no_dbversion.lss"] = good.replace(" <DBVersion>612</DBVersion>\n", "")
    files["group_export.lss"] = good.replace(">Survey</LimeSurveyDocType>", ">Group</LimeSurveyDocType>")
    files["entities.lss"] = good.replace('<?xml version="1.0" encoding="UTF-8"?>',
                                         '<?xml version="1.0" encoding="UTF-8"?>\n'
                                         '<!DOCTYPE document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>')
    files["external.lss"] = good.replace('<?xml version="1.0" encoding="UTF-8"?>',
                                         '<?xml version="1.0" encoding="UTF-8"?>\n'
                                         '<!DOCTYPE document [<!ENTITY x SYSTEM "file:///etc/passwd">]>').replace(
        "<![CDATA[Fixture]]>", "&x;")
    for name, content in files.items():
        (HERE / name).write_text(content, encoding="utf-8")


if __name__ == "__main__":
    main()
