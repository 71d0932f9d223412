"""The HTML pages (not written yet: the JSON API comes first)."""

routes: list = []
