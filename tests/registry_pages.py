"""Reading the registry's pages in tests: the text inside an element (by id) of an HTML answer."""
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TextById(HTMLParser):
    def __init__(self, wanted: str):
        super().__init__()
        self.wanted, self.depth, self.found, self.parts = wanted, 0, False, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in VOID
        elif not self.found and dict(attrs).get("id") == self.wanted:
            self.found = True
            self.depth = 0 if tag in VOID else 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(response, element_id: str) -> str | None:
    """Whitespace-collapsed text of the element with this id, or None when there is none."""
    parser = _TextById(element_id)
    parser.feed(response.content.decode())
    return " ".join("".join(parser.parts).split()) if parser.found else None


def field_error(response, field: str) -> str | None:
    """The error shown next to a form field (core/_field_errors.html), "" when none."""
    return text_of(response, f"err-{field}")


def html(response) -> str:
    return response.content.decode()
