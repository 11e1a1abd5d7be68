"""The one translator from pydantic validation errors to problems people can act on.

Every model prevplan reads from a file — rule files, populations, activities, tracker
entries, plans — is validated by pydantic, whose own messages ("Input should be a valid
integer") are for programmers and English only. Here each error is worded from its type and
limits, in the reader's language: "expected a whole number, got 'abc'". The rules loader,
the population reader and the plan reader all use :func:`explain`, so one kind of mistake
reads the same wherever it is made.

Values are shown short (:func:`show`): a text is cut at 60 characters and a list or mapping
is named, never printed, so a hostile file cannot make a message as large as itself.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from prevplan.i18n import DEFAULT_LANGUAGE, N_, _, current_language, format_number
from prevplan.problems import Location, Problem, ProblemsError

Model = TypeVar("Model", bound=BaseModel)

# What a value of each pydantic error type should have been; ``{...}`` are the error's limits.
_EXPECTED: Final[Mapping[str, str]] = {
    "int_type": N_("a whole number"),
    "int_parsing": N_("a whole number"),
    "int_from_float": N_("a whole number"),
    "float_type": N_("a number"),
    "float_parsing": N_("a number"),
    "finite_number": N_("a finite number"),
    "string_type": N_("a text"),
    "bool_type": N_("true or false"),
    "bool_parsing": N_("true or false"),
    "list_type": N_("a list"),
    "tuple_type": N_("a list"),
    "set_type": N_("a list"),
    "dict_type": N_("a mapping"),
    "model_type": N_("an object (a mapping of field names to values)"),
    "model_attributes_type": N_("an object (a mapping of field names to values)"),
    "enum": N_("one of {expected}"),
    "literal_error": N_("one of {expected}"),
    "greater_than_equal": N_("a number of at least {ge}"),
    "greater_than": N_("a number greater than {gt}"),
    "less_than_equal": N_("a number of at most {le}"),
    "less_than": N_("a number less than {lt}"),
    "string_too_short": N_("a text of at least {min_length} character(s)"),
    "string_too_long": N_("a text of at most {max_length} characters"),
    "too_long": N_("at most {max_length} items"),
}
_NOT_BLANK: Final = r"^\s*\S"
"""The pattern of ids that must not be only blanks."""


def problem_from_error(file: str, where: Location | str, error: ErrorDetails) -> Problem:
    """Say what one pydantic validation error means, for the person who wrote the input.

    ``error["loc"]`` is the path inside the object ``where`` names; the field is that path
    (``strategies``, ``risk_factors.family``).
    """
    name = ".".join(str(part) for part in error["loc"] if isinstance(part, str))
    kind = error["type"]
    if kind in ("extra_forbidden", "invalid_key"):
        return Problem(file, where, name, _("unknown field"))
    if kind == "missing":
        return Problem(file, where, name, _("missing; this field is required"))
    return Problem(file, where, name, explain(error))


def validated_document(model: type[Model], loaded: object, file: str) -> Model:
    """``loaded`` (a whole parsed file) as ``model``, or every problem with its field path.

    The field is the path from the top of the file: ``risk_factors.family``, ``indicators[2]``
    (list positions count from 1, as people do); a mapping's bad key is named by the key.
    """
    try:
        return model.model_validate(loaded)
    except ValidationError as exc:
        where = Location("top")
        problems = [
            Problem(
                file,
                where,
                _field_path(error["loc"]),
                problem_from_error(file, where, error).message,
            )
            for error in exc.errors(include_url=False)
        ]
        raise ProblemsError(problems) from None


def _field_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a field path people read (see :func:`validated_document`)."""
    path = ""
    for part in loc:
        if part == "[key]":
            continue
        path += f"[{part + 1}]" if isinstance(part, int) else ("." if path else "") + str(part)
    return path


def explain(error: ErrorDetails | Mapping[str, Any]) -> str:
    """What is wrong with one value, from its pydantic error, in the reader's language."""
    kind = error.get("type", "")
    ctx = dict(error.get("ctx") or {})
    value = error.get("input")
    if kind == "too_short":
        return _("must not be empty")
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == _NOT_BLANK:
            return expected_got(_("a text that is not blank"), value)
        return _("expected text matching {pattern}, got {value}").format(
            pattern=repr(ctx.get("pattern")), value=show(value)
        )
    template = _EXPECTED.get(kind)
    if template is not None:
        if isinstance(ctx.get("expected"), str):
            ctx["expected"] = choices(ctx["expected"])
        for key in ("ge", "gt", "le", "lt"):  # limits as the reader writes numbers
            if isinstance(ctx.get(key), int | float) and not isinstance(ctx[key], bool):
                ctx[key] = format_number(ctx[key])
        try:
            return expected_got(_(template).format(**ctx), value)
        except (KeyError, IndexError):
            pass
    # A check of our own (a model validator's ValueError): its text is already for people,
    # and marked for translation where the validator words it.
    message = str(error.get("msg") or _("invalid value")).removeprefix("Value error, ")
    if kind == "value_error" or current_language() == DEFAULT_LANGUAGE:
        message = _(message)
        return message[:1].lower() + message[1:]
    return _("invalid value; the validator says: '{detail}'").format(detail=message)


_QUOTED: Final = re.compile(r"'[^']*'")


def choices(expected: str) -> str:
    """The list of allowed values pydantic gives (``'a', 'b' or 'c'``), its "or" translated."""
    values = _QUOTED.findall(expected)
    if len(values) < 2 or f"{', '.join(values[:-1])} or {values[-1]}" != expected:
        return expected
    return _("{items} or {last}").format(items=", ".join(values[:-1]), last=values[-1])


def one_of(values: Collection[str]) -> str:
    """``one of a, b, c``."""
    return _("one of {expected}").format(expected=", ".join(values))


def missing(expected: str) -> str:
    """``missing; expected …``."""
    return _("missing; expected {expected}").format(expected=expected)


def expected_got(expected: str, value: object, hint: str = "") -> str:
    """``expected X, got Y``, and a ``hint`` when the mistake is a common one."""
    # A list of allowed words already holds commas; a semicolon keeps the value apart.
    if ", " in expected:
        message = _("expected {expected}; got {value}")
    else:
        message = _("expected {expected}, got {value}")
    return message.format(expected=expected, value=show(value)) + hint


_LONGEST_SHOWN: Final = 60


def show(value: object) -> str:
    """A short rendering of a value as the person wrote it, never longer than a line."""
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if value.bit_length() > 100:  # repr of a huge integer costs, and says nothing
            return _("a number with {digits} digits").format(digits=_digits(value))
        return repr(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        text = value if len(value) <= _LONGEST_SHOWN else value[: _LONGEST_SHOWN - 3] + "..."
        return f"'{text}'"
    if isinstance(value, Mapping):
        return _("a mapping")
    if isinstance(value, list | tuple | set | frozenset):
        return _("a list")
    if hasattr(value, "isoformat"):  # a date YAML read from unquoted text
        return f"{value} ({type(value).__name__})"
    return f"({type(value).__name__})"


def _digits(value: int) -> str:
    """About how many decimal digits ``value`` has, without converting it to text."""
    return "~" + format_number(int(abs(value).bit_length() * 0.30103) + 1)
