"""Surveys with seeded defects, shared by the fuzzing tests and the pytest plugin's."""

# Plan b needs more than 20 of something that is at most 10: the page of `n` cannot
# be left. A later page shows that fuzzing stops at the dead end.
DEAD_END_PAGE = '''
survey deadend "Dead end"
group g "G"
  single plan "Plan"
    mandatory
    - a "A"
    - b "B"
  integer n "How many?"
    mandatory
    min 0
    max 10
    validate plan == "a" or n > 20 message "Too few for plan b."
'''

DEAD_END = DEAD_END_PAGE + '''group h "H"
  text note "Note"
'''
