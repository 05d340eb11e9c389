"""What people read in a message: words, not the database's column names. A rule's message that
names another field ("must not be before joined_on") reads as code beside a form's label and in
Chinese; the field is named in words ("the joining date")."""

import re

from babel.messages.extract import extract_from_dir

from coop import registry
from tests.test_translations import KEYWORDS, ROOT


def field_names():
    """The names of the fields of every kind's schema that a person could mistake for words
    only if they had no underscore (month, kind): those with one."""
    names = set()
    for kind in registry.kinds().values():
        if kind.schema is not None:
            names |= {name for name in kind.schema._declared_fields if "_" in name}
    return names


def test_rule_messages_name_no_column(app):
    with app.app_context():
        names = field_names()
    pattern = re.compile(r"(?<![%(\w])(" + "|".join(sorted(names)) + r")(?![\w)])")
    found = []
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "coop"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if pattern.search(text):
                found.append(f"{filename}: {text}")
    assert not found, "messages naming a column:\n" + "\n".join(found)
