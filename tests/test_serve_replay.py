"""The server's resumable `play` (qengine/serve/replay.py) gives `play`'s result,
field for field, along the answers random respondents give one after another,
going back and changing earlier answers included."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import qengine
from qengine.runtime.play import play
from qengine.serve.replay import Player
from qengine.testing import respondents

SURVEYS = Path(__file__).parent.parent / "surveys"
CASES = [("gp_backup.qdl", 60), *((f"examples/{p.name}", 20) for p in sorted((SURVEYS / "examples").glob("*.qdl")))]


@pytest.mark.parametrize(("name", "examples"), CASES)
def test_resumed_play_is_play(name, examples):
    survey = qengine.load(SURVEYS / name)
    player = Player(survey)
    resumed = []

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(respondents(survey))
    def check(respondent):
        answers: dict = {}
        mark = None
        for step in respondent.steps:
            if step.action == "answer":
                answers[step.code] = step.value
            elif step.action in ("clear", "blank"):
                answers.pop(step.code, None)
            else:
                continue
            replayed = player.play(answers, mark)
            resumed.append(replayed.resumed)
            assert replayed.result.to_json() == play(survey, answers).to_json()
            mark = replayed.mark
        assert player.play(dict(respondent.answers), mark).result.to_json() == \
            play(survey, respondent.answers).to_json()

    check()
    assert any(resumed), "no walk was resumed: the test tests nothing"


def test_a_mark_is_not_used_once_an_earlier_page_changed():
    survey = qengine.load(SURVEYS / "gp_backup.qdl")
    player = Player(survey)
    first = {"sexe": "F", "age": "age2", "anciennete": ["anc2"], "solo": "soloo", "territoire": "urb"}
    walked = player.play(first)
    assert walked.mark.index == 1  # stopped on the second page, marked just before it
    changed = {**first, "age": "age1"}
    again = player.play(changed, walked.mark)
    assert not again.resumed and again.result.to_json() == play(survey, changed).to_json()
    further = {**first, "reseau": "resmp"}
    onwards = player.play(further, walked.mark)
    assert onwards.resumed and onwards.result.to_json() == play(survey, further).to_json()
