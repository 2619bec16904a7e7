"""People in the programme file: a meeting's speakers and a network's moderator.

A person is a name, or a mapping with name, role and about; a name with its role after
a colon ("Mads Peter Klindt: lektor") is pointed to the fields of their own. Part of the
loader (loader.py).
"""
from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode

from assistant import N_
from assistant.model import Person

from .problems import Label, code, field, msg, owner_of
from .yamlnodes import NodeReader
from .yamlnodes import is_null as _is_null

PERSON_FIELDS = ("name", "role", "about")


class PeopleReader(NodeReader):
    """Reads speakers and moderators, collecting problems."""

    def person(self, node: Node, what: Label, listed: bool = False) -> Person | None:
        """A name, or a mapping with name, role and about; `listed`: an item of a list
        ("- name: …"), as speakers are."""
        if isinstance(node, ScalarNode):
            if _is_null(node) or not node.value.strip():
                self.report(node, N_("{what} has no name"), what=what)
            return Person(node.value.strip())
        if (shape := _name_as_field(node)) is not None:
            name, role = shape
            self.report(node, N_("{what}: the name and the role go in fields of their own: "
                                 "write {name} and, on the next line lined up with name, "
                                 "{role}"),
                        what=what, name=code(f"{'- ' if listed else ''}name: {name}"),
                        role=code(f"role: {role}"))
            return None
        f = self.fields(node, what, PERSON_FIELDS, required=("name",))
        if not f or "name" not in f:
            return None
        return Person(self.string(f["name"][1], field(what, "name")) or "",
                      self.get(f, "role", self.text, what), self.get(f, "about", self.text, what))

    def speakers(self, node: Node, what: Label) -> tuple[Person | None, ...]:
        """One speaker or a list; each named "<event>: speaker <n>" in problems."""
        owner = owner_of(what)
        return tuple(self.person(p, msg(N_("{what}: speaker {n}"), what=owner, n=n), listed=True)
                     for n, p in enumerate(self.items(node, what, single_ok=True), 1))


def _name_as_field(node: Node) -> tuple[str, str] | None:
    """The name and role of a person written "Mads Peter Klindt: lektor" or "Roger Mörtvik:
    {sv: statssekreterare, en: State Secretary}" (a name, not a field, before the colon), or
    None for any other shape."""
    if not isinstance(node, MappingNode) or len(node.value) != 1:
        return None
    key, value = node.value[0]
    if not isinstance(key, ScalarNode) or key.value.strip().lower() in PERSON_FIELDS or \
            re.fullmatch(r"[a-z_]+", key.value):
        return None
    if isinstance(value, ScalarNode):
        return key.value.strip(), value.value.strip() or "…"
    if isinstance(value, MappingNode) and all(isinstance(k, ScalarNode) and
                                              isinstance(v, ScalarNode) for k, v in value.value):
        texts = ", ".join(f"{k.value}: {_quoted(v.value.strip())}" for k, v in value.value)
        return key.value.strip(), f"{{{texts}}}"
    return None


def _quoted(text: str) -> str:
    """A text as it can stand in a one-line {…}: in quotes when it holds a comma or a colon."""
    return f'"{text}"' if any(c in text for c in ',:{}[]"') else text or "…"
