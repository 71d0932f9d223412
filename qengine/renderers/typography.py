"""A language's spacing rules, applied to every text a renderer prints.

French sets a no-break space before the high punctuation: a narrow one before
`? ! ;`, a word space before `:` (Lexique des règles typographiques de l'Imprimerie
nationale). Without it a line may start with "?" where a page or a phone's screen
breaks it. Only spaces the author typed are replaced: none is added where there was
none, so that URLs, times (10:30) and paths (C:\\) stay as written.

The rules are (pattern, replacement) pairs that mean the same to Python's `re` and
to JavaScript's `RegExp`, so that the HTML form applies these very rules to the
texts it redraws in the browser.
"""

from __future__ import annotations

import re
from functools import cache

import jinja2
import markupsafe

NARROW_NO_BREAK_SPACE = "\u202f"
NO_BREAK_SPACE = "\u00a0"

RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "fr": ((r"[ \t]+(?=[?!;])", NARROW_NO_BREAK_SPACE), (r"[ \t]+(?=:)", NO_BREAK_SPACE)),
}


def rules(language: str) -> tuple[tuple[str, str], ...]:
    """The rules for a language tag ("fr", "fr-CA", "fr_BE"); none for a language without any."""
    return RULES.get(re.split(r"[-_]", language or "")[0].lower(), ())


@cache
def _compiled(language: str) -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in rules(language))


def typeset(text: str, language: str) -> str:
    """`text` with the spacing of `language` ("Quel âge ?" with a no-break space in French)."""
    for pattern, replacement in _compiled(language):
        text = pattern.sub(replacement, text)
    return text


@jinja2.pass_context
def finalize(context, value):
    """Jinja's `finalize` hook, so that every `{{ … }}` of a template is typeset in
    the language the template was given as `language`. Markup (a renderer's own
    stylesheet or script) is not text to typeset and passes untouched."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return typeset(value, context["language"])
    return value
