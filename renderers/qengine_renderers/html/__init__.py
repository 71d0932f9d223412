"""The interactive HTML form for respondents: `qengine render SURVEY --to html`.

`spec.py` compiles the survey into a JS module, `qengine.js` is the browser's
runtime (a mirror of the Python session), `form.js` and `form.css` the form itself;
`renderer.py` puts them into one self-contained file.
"""

from qengine_renderers.html.renderer import HtmlRenderer

__all__ = ["HtmlRenderer"]
