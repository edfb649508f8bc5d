"""A small DOM, enough to query rendered pages: parse(html) gives the root element."""

from html.parser import HTMLParser

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}


def _attr_name(keyword):
    """An attribute name from a keyword argument: for_ is for, aria_describedby aria-describedby."""
    return keyword.rstrip("_").replace("_", "-")


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = {name: "" if value is None else value for name, value in attrs}
        self.parent = parent
        self.children = []

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    @property
    def text(self):
        """The text content, with whitespace collapsed as a browser shows it."""
        parts = []

        def walk(node):
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, class_=None, **attrs):
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and (class_ is None or class_ in element.classes)
            and all(element.attrs.get(_attr_name(name)) == v for name, v in attrs.items())
        ]

    def find(self, tag=None, class_=None, **attrs):
        found = self.find_all(tag, class_, **attrs)
        assert len(found) == 1, f"expected one <{tag or '*'} {class_ or ''} {attrs}>, found {found}"
        return found[0]

    def by_id(self, id_):
        found = [element for element in self.iter() if element.attrs.get("id") == id_]
        assert len(found) == 1, f"expected one element with id {id_!r}, found {len(found)}"
        return found[0]

    def ancestor(self, tag=None, class_=None):
        node = self.parent
        while node is not None:
            if (tag is None or node.tag == tag) and (class_ is None or class_ in node.classes):
                return node
            node = node.parent
        return None

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", [])
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        assert node is not self.root, f"</{tag}> closes nothing"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> is never closed"
    return builder.root
