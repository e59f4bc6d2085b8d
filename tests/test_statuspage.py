"""The status report's heat-map rows and screenshot lists, made in Python for speed: every text in
them (article titles, paths, messages, image names) is escaped, and the cells say what the
template's did."""

from __future__ import annotations

from html.parser import HTMLParser

from helpglot.site import statuspage
from helpglot.tracking.freshness import Record


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_rows_and_screenshot_lists_escape_what_they_show() -> None:
    hostile = 'Pay <script>alert(1)</script> & "save"'
    records = {
        ("a<b>.md", "es"): Record("a<b>.md", "es", "translations/es/a<b>.md", "stale", total_blocks=7,
                                  stale_blocks=(2, 3), message='2 of 7 "blocks" <changed>'),
        ("a<b>.md", "lt"): Record("a<b>.md", "lt", "translations/lt/a<b>.md", "up-to-date"),
    }
    url = lambda rel, lang: f"/{lang}/{rel}?x=1&y=2"  # noqa: E731
    row = statuspage.rows(["a<b>.md"], ["es", "ro", "lt"], records, {"a<b>.md": hostile}, url, "en")["a<b>.md"]
    parsed = _Text()
    parsed.feed(str(row))
    assert "<script>" not in row and "".join(parsed.text) == f"{hostile}Stale 2/7Up to date"
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert links[0] == {"href": "/en/a<b>.md?x=1&y=2", "title": "a<b>.md"}
    assert links[1] == {"class": "s-stale", "href": "/es/a<b>.md?x=1&y=2", "data-state": "stale",
                        "title": 'Stale: 2 of 7 "blocks" <changed>'}
    assert links[2]["title"] == "Up to date" and row.count('<td class="cell"></td>') == 1  # (ro: no record)
    items = statuspage.screenshot_items({"es": [("a<b>.md", ("img/<x>.png", "y&z.png"))]}, {"a<b>.md": hostile},
                                        url)["es"]
    parsed = _Text()
    parsed.feed(str(items))
    assert "<script>" not in items and "".join(parsed.text) == f"{hostile}: img/<x>.png, y&z.png"
