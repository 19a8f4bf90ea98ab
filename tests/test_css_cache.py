"""Issue 19, usable at start (session 10): each stylesheet's parsed rules are kept between starts
(widgets/css_cache.py) and read back instead of parsed again; what is read back is what Textual
parses, a change of text or theme parses afresh, and rules with errors are never kept."""

from __future__ import annotations

import pytest
from textual.css.stylesheet import Stylesheet, StylesheetParseError

from dutydesk.widgets import css_cache

CSS = "#status { height: 1; padding: 0 1; color: $error; }\nCallForm Input { width: 1fr; }"


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """The cache in a folder of its own, and Textual's own parse counted."""
    monkeypatch.setattr(css_cache, "CACHE_DIR", tmp_path / "tcss")
    monkeypatch.setattr(Stylesheet, "_parse_rules", css_cache._parse_rules)
    parsed: list[str] = []
    real = css_cache._textual_parse_rules

    def counted(self, css, *args):  # noqa: ANN001, ANN002, ANN202
        parsed.append(css)
        return real(self, css, *args)

    monkeypatch.setattr(css_cache, "_textual_parse_rules", counted)
    return parsed


def _rules(css: str, variables: dict[str, str]) -> list[str]:
    sheet = Stylesheet(variables=variables)  # a fresh one each time, as each start has
    sheet.add_source(css, read_from=("app.tcss", ""))
    sheet.parse()
    return [rule.css for rule in sheet.rules]


def test_a_stylesheet_parsed_once_is_read_back_the_same_next_time(kept):
    variables = {"error": "#ff0000"}
    first = _rules(CSS, variables)
    again = _rules(CSS, variables)
    assert kept == [CSS]  # Textual parsed it once: the second start read it back
    assert again == first and "#FF0000" in first[0]  # the variable in place, as parsed
    assert len(list(css_cache.CACHE_DIR.glob("*.pickle"))) == 1


def test_another_text_or_another_theme_is_parsed_afresh(kept):
    _rules(CSS, {"error": "#ff0000"})
    other_theme = _rules(CSS, {"error": "#00ff00"})
    other_text = _rules(CSS + "\n#search { height: 3; }", {"error": "#00ff00"})
    assert len(kept) == 3
    assert "#00FF00" in other_theme[0] and len(other_text) == 3


def test_rules_with_errors_are_never_kept(kept):
    for _ in range(2):
        with pytest.raises(StylesheetParseError):
            _rules("#status { height: nonsense; }", {})
    assert len(kept) == 2 and not list(css_cache.CACHE_DIR.glob("*.pickle"))


def test_a_damaged_copy_is_parsed_afresh(kept):
    first = _rules(CSS, {"error": "#ff0000"})
    for place in css_cache.CACHE_DIR.glob("*.pickle"):
        place.write_bytes(b"not a pickle")
    assert _rules(CSS, {"error": "#ff0000"}) == first
    assert len(kept) == 2


@pytest.mark.parametrize("foreign", [[1, 2, 3], []])
def test_a_pickle_of_something_else_is_parsed_afresh_and_replaced(kept, foreign):
    """Breaker, session 10: a list of ints stopped the start; an empty list read back left the
    app unstyled on every start."""
    import pickle

    first = _rules(CSS, {"error": "#ff0000"})
    for place in css_cache.CACHE_DIR.glob("*.pickle"):
        place.write_bytes(pickle.dumps(foreign))
    assert _rules(CSS, {"error": "#ff0000"}) == first
    assert _rules(CSS, {"error": "#ff0000"}) == first
    assert len(kept) == 2  # parsed afresh once, and kept anew


def test_the_rules_read_back_style_as_parsed_ones(kept):
    """Each rule's styles answer their lookups from their own rules (a bound method kept)."""
    _rules(CSS, {"error": "#ff0000"})
    sheet = Stylesheet(variables={"error": "#ff0000"})
    sheet.add_source(CSS, read_from=("app.tcss", ""))
    sheet.parse()
    styles = sheet.rules[0].styles
    assert styles.get_rule.__self__ is styles._rules  # type: ignore[attr-defined]
    assert styles.has_rule("height") and not styles.has_rule("width")


def test_the_app_keeps_its_stylesheets():
    from dutydesk.widgets.desk_app import DeskApp

    DeskApp()
    assert Stylesheet._parse_rules is css_cache._parse_rules
