"""A complete embedding of qengine: load a survey, walk it page by page with scripted
answers, handle a refused value, save and resume, submit.

Run it from the repository root: `python docs/examples/embed.py`.
"""

import json

import qengine
from qengine.errors import AnswerError
from qengine.runtime import Session

SURVEY = """
survey coffee "Coffee habits"
language en

group habits "Your habits"
  single drinks "Do you drink coffee?"
    mandatory
    - yes "Yes"
    - no "No"
  integer cups "How many cups a day?"
    when drinks == "yes"
    mandatory
    min 1
    max 20
    suffix "cups"

group why "Why"
  when drinks == "yes"
  text reason "Why do you drink {cups} {if(cups == 1, 'cup', 'cups')} a day?"
"""

survey = qengine.load(SURVEY)          # or qengine.load("path/to/survey.qdl")
session = qengine.Session(survey)      # a new respondent (format: the survey's own)

answers = {"drinks": "yes", "cups": 25, "reason": "It keeps me awake"}


def fill_page(session, answers):
    """Answer what the page shows; answering can reveal more questions on the same
    page, so look again until nothing new appears."""
    seen = set()
    while new := [v for v in session.questions() if v.code not in seen]:
        for view in new:               # the questions shown now, as they read now
            seen.add(view.code)
            print(f"[{view.code}] {view.text}")
            if view.code not in answers:
                continue
            try:
                session.answer(view.code, answers[view.code])
            except AnswerError as refused:   # nothing was stored
                print(f"  refused: {refused.message}")
                session.answer(view.code, 3)     # the respondent corrects it


while not session.finished:
    fill_page(session, answers)
    if not session.next():             # blocked: the problems say why
        for problem in session.last_problems:
            print(f"  {problem.question}: {problem.message}")
        raise SystemExit(1)
    saved = json.dumps(session.to_json())    # e.g. kept in a database between requests
    session = Session.from_json(survey, json.loads(saved))

response = session.submit()            # immutable; hidden questions are absent
print(json.dumps(response.to_json()))
