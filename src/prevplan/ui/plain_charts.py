"""Charts that show people's words as written: no links or markup from a plan's data.

Plotly draws a subset of HTML in every text of a chart — tick labels, bar text, hover
labels — so a population named ``<a href=…>…</a>`` would be a live link on the
dashboard. :func:`plain_figure` writes ``<``, ``>`` and ``&`` in the data's texts as the
entities plotly shows literally, consistently in every place a category appears, so bars
and their labels still match.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import plotly.graph_objects as go

TEXT_ATTRIBUTES: Final = (
    "x",
    "y",
    "z",
    "text",
    "hovertext",
    "customdata",
    "labels",
    "parents",
    "ids",
    "name",
    "legendgroup",
)
AXIS_ATTRIBUTES: Final = ("categoryarray", "ticktext")
_ENTITIES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def plain_text(text: str) -> str:
    """``text`` as plotly shows it literally."""
    return text.translate(_ENTITIES)


def _plain(value: object) -> object:
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_plain(item) for item in value)
    dtype = getattr(value, "dtype", None)
    if dtype is not None and getattr(dtype, "kind", "") in ("O", "U"):
        return [_plain(item) for item in value.tolist()]  # type: ignore[attr-defined]
    return value


def plain_figure(figure: go.Figure) -> go.Figure:
    """``figure`` with every text in its data and category axes shown as plain text."""
    for trace in figure.data:
        for attribute in TEXT_ATTRIBUTES:
            if attribute in trace:
                value = trace[attribute]
                if value is not None:
                    trace[attribute] = _plain(value)
    for key in list(figure.layout):
        if not (key.startswith("xaxis") or key.startswith("yaxis")):
            continue
        axis = figure.layout[key]
        for attribute in AXIS_ATTRIBUTES:
            value = axis[attribute]
            if value is not None:
                axis[attribute] = _plain(value)
    return figure
