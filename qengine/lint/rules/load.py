"""Load errors: the codes `qengine check` reports, registered so that lint reports
them in its own formats, `--explain` explains them and the rule docs cover them.
They are always reported and cannot be silenced: a survey that does not load
cannot be linted."""

from qengine.lint.registry import rule

rule("E000", "internal-error", "error", "qengine failed while reading the file",
     what="Reports a failure of qengine itself while it turned the parsed file into a survey.",
     why="It is a bug of qengine, not of your survey; the rest of the file could not be checked.",
     example='survey s "…"',
     instead="Report the file to the qengine maintainers; meanwhile, find the statement that "
             "triggers it by removing halves of the file.")

rule("E001", "unreadable-file", "error", "the file cannot be read",
     what="Reports a survey path that does not exist or cannot be opened.",
     why="Nothing can be checked.",
     example="qengine lint surveys/missing.qdl",
     instead="qengine lint surveys/existing.qdl")

rule("E002", "not-text", "error", "the file is not UTF-8 text",
     what="Reports a file that is not valid UTF-8 or that holds a NUL character.",
     why="QDL files are UTF-8 text; a file saved in another encoding would show "
         "respondents garbled accents.",
     example="a survey saved as Latin-1 from an old editor",
     instead="Save the file as UTF-8 in your editor.")

rule("E101", "syntax-error", "error", "the line does not follow the QDL grammar",
     what="Reports a token that cannot stand where it is: a missing or extra parenthesis, "
          "'=' instead of '==', a statement that ends too early.",
     why="The survey cannot be read past a syntax error.",
     example='single age "Your age?"\n  when age = "age1"',
     instead='single age "Your age?"\n  when age == "age1"')

rule("E102", "unclosed-string", "error", "a string is never closed",
     what="Reports a quoted text whose closing quote is missing on its line.",
     why="Everything after it would be read as text.",
     example='single age "Your age?\n  - a "Under 30"',
     instead='single age "Your age?"\n  - a "Under 30"\n\n# or, for text over several lines:\n'
             'display intro """\n  First line\n  Second line\n  """')

rule("E103", "unknown-keyword", "error", "a line starts with a word that is not a keyword",
     what="Reports a statement whose first word is not a QDL keyword (often a typo: "
          "'mandatroy', 'opton').",
     why="Every line of a survey starts with a keyword (or '-' for an option); qengine cannot "
         "guess what the line means.",
     example='single age "Your age?"\n  mandatroy',
     instead='single age "Your age?"\n  mandatory')

rule("E104", "braces", "error", "a '{' or '}' in text does not pair up",
     what="Reports dynamic wording whose braces do not pair: a '{' never closed, a '}' that "
          "closes nothing, an empty '{}'.",
     why="`{…}` in text holds an expression; an unpaired brace makes the wording unreadable.",
     example='display hello "Hello {name"',
     instead='display hello "Hello {name}"\n# a literal brace is written \\{')

rule("E105", "bad-code", "error", "a code holds something other than letters and digits",
     what="Reports a survey, group, question, option, row or column code holding '_' or another "
          "character that is not a letter or a digit.",
     why="Variable names join codes with '_' (question_option, question_row_column), so a code "
         "with '_' would make names ambiguous.",
     example='single work_place "Where do you work?"',
     instead='single workplace "Where do you work?"')

rule("E106", "unknown-attribute", "error", "an unknown '.attribute' after a variable",
     what="Reports `x.something` where something is not one of the attributes QDL reads: .shown, "
          ".visible (or .relevanceStatus), .question, .type, and .NAOK, .code, .value, .valueNAOK "
          "(the answer itself). LimeSurvey's others (.qid, .gid, .sgqa, .mandatory…) have no meaning "
          "in QDL.",
     why="The expression cannot be evaluated.",
     example='when age.shwn == "Under 30"',
     instead='when age.shown == "Under 30"')

rule("E107", "bad-pattern", "error", "a text pattern is not a valid regular expression",
     what="Reports a `pattern` that does not compile or that holds {expressions}.",
     why="Every answer to the question would fail (or crash) the check.",
     example='text zip "Postcode"\n  pattern "[0-9{5}"',
     instead='text zip "Postcode"\n  pattern "[0-9]{5}"')

rule("E108", "bad-scale", "error", "a scale runs backwards or is too long",
     what="Reports `scale A to B` with B < A or more than 101 points.",
     why="The columns of the array cannot be made.",
     example='array sat "Satisfaction"\n  row a "Food"\n  scale 5 to 1',
     instead='array sat "Satisfaction"\n  row a "Food"\n  scale 1 to 5')

rule("E109", "unknown-format", "error", "an unknown navigation format",
     what="Reports `format X` where X is not question, group or all.",
     why="The survey cannot be cut into pages.",
     example="format pages",
     instead="format group")

rule("E110", "nested-too-deeply", "error", "an expression nests more than 100 levels deep",
     what="Reports an expression whose operators and calls nest more than 100 levels deep: "
          "a chain of 101 `+` or `or`, or 101 `not` in a row.",
     why="Every backend (evaluation, JavaScript, plain words, the solver) walks expressions "
         "level by level; such depth is never needed and would exhaust them.",
     example="when x == 1 or x == 2 or x == 3 or … or x == 150",
     instead="when countif(x, 1, 2, 3, …, 150) > 0   # or sum(a, b, …) for a long a + b + …")

rule("E200", "unbuildable-question", "error", "a question cannot be built",
     what="Reports a question qengine could not build from its statements (an internal check "
          "that the other load errors normally prevent).",
     why="The question would be missing from the survey.",
     example="(reported with the reason)",
     instead="Fix the reason given; report it to the maintainers if it is unclear.")

rule("E201", "attribute-not-allowed", "error", "a statement is not allowed in this kind of question",
     what="Reports an attribute the question's kind does not take: `row` in a single choice, "
          "`min` in a text question, `exclusive` outside a multiple choice.",
     why="It would mean nothing, and probably shows a wrong kind of question.",
     example='single sat "Satisfaction"\n  row food "Food"',
     instead='array sat "Satisfaction"\n  row food "Food"\n  scale 1 to 5')

rule("E202", "given-twice", "error", "a statement is given twice",
     what="Reports an attribute written twice for the same question, group or survey "
          "(two `when`, two `min`...).",
     why="Only one can count; qengine will not pick one silently.",
     example='integer age "Age?"\n  min 18\n  min 16',
     instead='integer age "Age?"\n  min 16')

rule("E203", "duplicate-item-code", "error", "an option, row or column code is used twice",
     what="Reports two options (rows, columns) of one question with the same code.",
     why="Answers and conditions name options by code: the second could never be told apart.",
     example='single pet "Pet?"\n  - cat "Cat"\n  - cat "Dog"',
     instead='single pet "Pet?"\n  - cat "Cat"\n  - dog "Dog"')

rule("E204", "no-text", "error", "a question has no wording",
     what="Reports a question (other than an equation) without its text after the code.",
     why="Respondents would see an answer field with no question.",
     example="integer age\n  min 18",
     instead='integer age "How old are you?"\n  min 18')

rule("E205", "incomplete-question", "error", "a question lacks options, rows, columns or a value",
     what="Reports a choice without options, an array or grid without rows or columns, an "
          "equation without `value`.",
     why="The question cannot be answered (or computed).",
     example='single pet "Pet?"',
     instead='single pet "Pet?"\n  - cat "Cat"\n  - dog "Dog"')

rule("E206", "default-not-a-number", "error", "the default of a number question is not a number",
     what="Reports a `default` given as text for an integer, decimal or grid question.",
     why="The question could not start with it.",
     example='integer n "How many?"\n  default "none"',
     instead='integer n "How many?"\n  default 0')

rule("E207", "duplicate-code", "error", "a group or question code is already used",
     what="Reports a second group or question with a code already taken.",
     why="Conditions and answers name questions by code: the two could not be told apart.",
     example='single q1 "First"\n  - a "A"\nsingle q1 "Second"\n  - a "A"',
     instead='single q1 "First"\n  - a "A"\nsingle q2 "Second"\n  - a "A"')

rule("E210", "unknown-question", "error", "an expression names a question that does not exist",
     what="Reports a variable that is no question code (and no question_part name) of the survey.",
     why="The condition could never read what the author meant; LimeSurvey would silently "
         "treat it as empty, qengine refuses to guess.",
     example='single smoker "Do you smoke?"\n  - y "Yes"\n  - n "No"\n'
             'integer cigs "How many a day?"\n  when smoker == "y"\n\n'
             'integer packs "Packs a week?"\n  when smokr == "y"',
     instead='  when smoker == "y"')

rule("E211", "no-such-part", "error", "a name reads a part of a question that has no parts",
     what="Reports `question_part` for a question that is not a multiple choice, array or "
          "grid, and names of a whole grid row (a grid cell is question_row_column).",
     why="There is no such value to read.",
     example='when age_a == "Y"   # age is a single choice',
     instead='when age == "a"')

rule("E212", "unknown-part", "error", "an option, row or column that the question does not have",
     what="Reports `question_x` where x is not an option (row, column) code of the question.",
     why="The name reads nothing; it is usually a typo of a code.",
     example='multiple pets "Pets?"\n  - cat "Cat"\n  - dog "Dog"\n'
             'display d "…"\n  when pets_cats == "Y"',
     instead='  when pets_cat == "Y"')

rule("E213", "whole-question-value", "error", "a whole multiple choice, array or grid used as one value",
     what="Reports a multiple choice, array or grid read as a single value, outside "
          "is_empty() and count().",
     why="Such a question has several answers; which one is meant must be said.",
     example='when pets == "cat"',
     instead='when pets_cat == "Y"\n# or: when count(pets) > 1')

rule("E214", "unknown-function", "error", "a call to a function that does not exist",
     what="Reports a call to a name that is not one of the QDL functions.",
     why="The expression cannot be evaluated.",
     example="when isempty(age)",
     instead="when is_empty(age)")

rule("E215", "argument-count", "error", "a function is called with the wrong number of arguments",
     what="Reports a call with too few or too many arguments.",
     why="The expression cannot be evaluated.",
     example='value if(age > 18, "adult")',
     instead='value if(age > 18, "adult", "minor")')

rule("E216", "default-not-an-option", "error", "the default of a single choice is not one of its options",
     what="Reports a `default` that is no option code of the question.",
     why="The question could not start with it.",
     example='single pet "Pet?"\n  - cat "Cat"\n  default dog',
     instead='single pet "Pet?"\n  - cat "Cat"\n  - dog "Dog"\n  default dog')

rule("E217", "quoted-name", "error", "an argument that must name an attribute or a question in quotes does not",
     what="Reports an argument of listifop() that names an attribute or a question other than in "
          "quotes, and a quoted attribute name QDL does not know (.qid, .sgqa… of LimeSurvey).",
     why="listifop() reads, of each question named, the attributes named: they must be known "
         "when the survey loads, as LimeSurvey names them, in quotes.",
     example='value listifop("value", "==", "Y", "label", ", ", pets_cat, pets_dog)',
     instead='value listifop("value", "==", "Y", "question", ", ", "pets_cat", "pets_dog")')

rule("E220", "cycle", "error", "expressions depend on each other in a circle",
     what="Reports conditions, values or wording that read each other in a circle: the "
          "condition of a reads b, whose condition reads a.",
     why="None of them can be computed first; the survey cannot run.",
     example='integer a "A"\n  when b > 1\ninteger b "B"\n  when a > 1',
     instead='integer a "A"\ninteger b "B"\n  when a > 1')
