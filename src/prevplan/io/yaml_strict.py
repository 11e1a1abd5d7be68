"""The one strict YAML and JSON loader, for the concept rules and for user files alike.

PyYAML and ``json`` accept things a person never means and that cost without bound:

- a key repeated in one mapping (the last value silently wins — in ``prioritisation.yaml``
  that would quietly change the mix);
- aliases that expand a few hundred bytes into hundreds of millions of items (the "billion
  laughs"): PyYAML shares them cheaply, but anything that walks or prints the data pays for
  every item;
- nesting deeper than any prevplan file needs, and integers with thousands of digits.

:func:`load_yaml` and :func:`load_json` refuse all of these before the data reaches a model,
each with a problem that names the line (where the parser knows it) and the limit. Only safe
YAML tags are constructed (no Python objects). Parser messages are translated where prevplan
knows them and otherwise quoted as the parser's own words.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Final

import yaml

from prevplan.i18n import DEFAULT_LANGUAGE, N_, _, current_language, format_number
from prevplan.problems import Problem, ProblemsError, line_at

try:  # libyaml's parser is several times faster; the pure-Python one is the fallback.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_ALIAS_EXPANSION: Final = 100_000
"""Most items that aliases (``*name``) may add to a document beyond those written out."""
MAX_DEPTH: Final = 64
"""Deepest nesting of lists and mappings read; prevplan's own files need fewer than 10."""
MAX_INT_DIGITS: Final = 4300
"""Longest integer read (Python's own limit for turning text into a number)."""

_YAML_MERGE: Final = "tag:yaml.org,2002:merge"


class _StrictYamlLoader(_SafeLoader):
    """Safe loader that remembers duplicate keys, which PyYAML silently overwrites."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, int, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[object, int] = {}
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _YAML_MERGE:
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.duplicate_keys.append((str(key), line, seen[key]))
                else:
                    seen[key] = line
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str, file: str) -> tuple[object, list[Problem]]:
    """The YAML document in ``text``, and its duplicate keys as problems.

    Raises :class:`ProblemsError` for malformed YAML, aliases that expand too far, nesting
    deeper than :data:`MAX_DEPTH` or an integer longer than :data:`MAX_INT_DIGITS`. The
    duplicate keys are returned, not raised, so a caller reports them with what else it
    finds in the data.
    """
    loader = _StrictYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and "*" in text:  # only aliases can make the data outgrow the text
            _check_expansion(node, file)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = line_at(mark.line + 1, mark.column + 1) if mark is not None else ""
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ProblemsError([Problem(file, at, "", malformed_yaml(reason))]) from None
    except ValueError:  # int() of more digits than Python turns into a number
        raise ProblemsError([_long_integer(file)]) from None
    except RecursionError:
        raise ProblemsError([_too_deep(file)]) from None
    finally:
        loader.dispose()
    duplicates = [
        Problem(
            file,
            line_at(line),
            key,
            _(
                "appears twice in one mapping (first on line {first}), so one value would be "
                "lost; expected each key once"
            ).format(first=first),
        )
        for key, line, first in loader.duplicate_keys
    ]
    return data, duplicates


def _check_expansion(root: yaml.Node, file: str) -> None:
    """Refuse a document whose aliases add more than :data:`MAX_ALIAS_EXPANSION` items, or
    nested deeper than :data:`MAX_DEPTH`: sizes are counted once per node, never expanded."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    distinct = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in size:
            continue
        children = _children(node)
        if not done:
            if key in depth:  # on the stack already: a node inside itself
                raise ProblemsError([_too_deep(file)])
            depth[key] = -1
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in size)
            continue
        distinct += 1
        size[key] = 1 + sum(size[id(child)] for child in children)
        depth[key] = 1 + max((depth[id(child)] for child in children), default=0)
        if depth[key] > MAX_DEPTH:
            raise ProblemsError([_too_deep(file)])
    if size[id(root)] - distinct > MAX_ALIAS_EXPANSION:
        message = _(
            "aliases (*name) would repeat more than {limit} items; expected each item written "
            "out, or aliases used sparingly"
        ).format(limit=format_number(MAX_ALIAS_EXPANSION))
        raise ProblemsError([Problem(file, "", "", message)])


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_json(text: str, file: str) -> tuple[object, list[Problem]]:
    """The JSON document in ``text``, and its duplicate keys as problems (as :func:`load_yaml`).

    Raises :class:`ProblemsError` for malformed JSON, nesting deeper than the interpreter
    follows (about 1,000 levels: the parser stops there at once, and a model never walks a
    value nested where it expects a number or a word), or an integer longer than
    :data:`MAX_INT_DIGITS`.
    """
    duplicates: list[str] = []

    def strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(pairs)
        if len(found) < len(pairs):
            seen: set[str] = set()
            duplicates.extend(k for k, _v in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        return found

    try:
        data = json.loads(text, object_pairs_hook=strict_object)
    except json.JSONDecodeError as err:
        raise ProblemsError(
            [
                Problem(
                    file,
                    line_at(err.lineno, err.colno),
                    "",
                    _("malformed JSON: {error}").format(error=parser_says(err.msg)),
                )
            ]
        ) from None
    except RecursionError:
        raise ProblemsError([_too_deep(file, sys.getrecursionlimit())]) from None
    except ValueError:  # an integer of more digits than Python turns into a number
        raise ProblemsError([_long_integer(file)]) from None
    problems = [
        Problem(
            file,
            "",
            key,
            _("appears twice in one object, so one value would be lost; expected each key once"),
        )
        for key in dict.fromkeys(duplicates)
    ]
    return data, problems


def _too_deep(file: str, limit: int = MAX_DEPTH) -> Problem:
    """Nesting over ``limit`` levels (for JSON, about as deep as the interpreter follows)."""
    message = _("lists and mappings are nested more than {limit} levels deep; expected fewer")
    return Problem(file, "", "", message.format(limit=format_number(limit)))


def _long_integer(file: str) -> Problem:
    message = _("holds an integer with more than {limit} digits; expected a usual number")
    return Problem(
        file, "", "", message.format(limit=format_number(min(MAX_INT_DIGITS, _int_limit())))
    )


def _int_limit() -> int:
    get = getattr(sys, "get_int_max_str_digits", None)
    return int(get()) if get is not None and get() else MAX_INT_DIGITS


# What a YAML, JSON or CSV parser says about a malformed file, word for word. The messages
# are the parsers' own English words (shown unchanged in English) and are translated for
# other readers; a message not listed here is quoted as the parser said it.
_PARSER_WORDS: Final = frozenset(
    {
        # json (the standard library)
        N_("Expecting value"),
        N_("Expecting property name enclosed in double quotes"),
        N_("Expecting ':' delimiter"),
        N_("Expecting ',' delimiter"),
        N_("Illegal trailing comma before end of object"),  # Python 3.13 on
        N_("Illegal trailing comma before end of array"),  # Python 3.13 on
        N_("Unterminated string starting at"),
        N_("Invalid control character at"),
        N_("Invalid \\escape"),
        N_("Invalid \\uXXXX escape"),
        N_("Extra data"),
        # YAML (libyaml, and PyYAML's own parser)
        N_("mapping values are not allowed in this context"),
        N_("mapping values are not allowed here"),
        N_("mapping keys are not allowed in this context"),
        N_("mapping keys are not allowed here"),
        N_("found character that cannot start any token"),
        N_("found a tab character that violates indentation"),
        N_("found a tab character where an indentation space is expected"),
        N_("found unexpected ':'"),
        N_("control characters are not allowed"),
        N_("did not find expected key"),
        N_("could not find expected ':'"),
        N_("did not find expected '-' indicator"),
        N_("did not find expected ',' or ']'"),
        N_("did not find expected ',' or '}'"),
        N_("did not find expected node content"),
        N_("did not find expected comment or line break"),
        N_("found undefined alias"),
        N_("found unexpected end of stream"),
        N_("found unknown escape character"),
        N_("block sequence entries are not allowed in this context"),
        N_("sequence entries are not allowed here"),
        N_("expected a single document in the stream"),
        # csv (the standard library)
        N_("unexpected end of data"),
    }
)
_YAML_UNKNOWN_TAG: Final = "could not determine a constructor for the tag "


def parser_says(words: str) -> str:
    """A parser's description of a syntax error, in the reader's language where it is known."""
    return _(words) if words in _PARSER_WORDS else words


def malformed_yaml(reason: str) -> str:
    """``malformed YAML: …`` with the parser's reason, in the reader's language."""
    if reason in _PARSER_WORDS:
        return _("malformed YAML: {problem}").format(problem=_(reason))
    if reason.startswith(_YAML_UNKNOWN_TAG):
        tag = reason.removeprefix(_YAML_UNKNOWN_TAG)
        problem = _("could not determine a constructor for the tag {tag}").format(tag=tag)
        return _("malformed YAML: {problem}").format(problem=problem)
    if current_language() == DEFAULT_LANGUAGE:
        return _("malformed YAML: {problem}").format(problem=reason)
    # A reason prevplan does not know: quoted, as the parser's own (English) words.
    return _("malformed YAML; the YAML parser says: '{problem}'").format(problem=reason)
