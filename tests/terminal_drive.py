"""A script that drives the terminal form key by key in a subprocess (so that it
runs in another environment: a plugin's, a fresh interpreter's) and prints, as
JSON, its screens, what each key did, and the response."""

DRIVE = '''
import json, sys
import qengine
from qengine_renderers.terminal.form import Form

form = Form(qengine.load(sys.argv[1]).start(format="question"))
screens, events = [], []
for key in json.loads(sys.argv[2]):
    events.append(form.handle(key))
    screens.append("\\n".join(line.plain.rstrip() for line in form.frame(80, 24)))
print(json.dumps({"screens": screens, "events": events,
                  "response": None if form.response is None else form.response.to_json()}))
'''
