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


LINE_BREAK: Final = "<br>"
"""The one piece of markup kept: the line breaks a chart puts in its long category labels
(:func:`prevplan.analytics.chart_labels.wrap_label`); a break is no link and runs nothing."""


def plain_text(text: str) -> str:
    """``text`` as plotly shows it literally, its line breaks kept."""
    return LINE_BREAK.join(part.translate(_ENTITIES) for part in text.split(LINE_BREAK))


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
    return shortened_labels(figure)


LABEL_LIMIT: Final = 40
"""Longest category label an axis shows whole; longer ones end in "…" (full on hover)."""


def short_label(text: str, limit: int = LABEL_LIMIT) -> str:
    """``text`` cut to ``limit`` characters at a word boundary where one is near, with "…"."""
    if LINE_BREAK in text:
        return LINE_BREAK.join(short_label(line, limit) for line in text.split(LINE_BREAK))
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"


def shortened_labels(figure: go.Figure) -> go.Figure:
    """Category axes whose labels are long show them shortened (a 300-character population
    name no longer squashes the chart); the data keep the full names, so hover shows them."""
    categories: dict[str, list[str]] = {}
    for trace in figure.data:
        for letter in ("x", "y"):
            values = getattr(trace, letter, None)
            if values is None:
                continue
            texts = [v for v in list(values) if isinstance(v, str)]
            if not texts:
                continue
            anchor = getattr(trace, f"{letter}axis", None)
            axis = f"{letter}axis{str(anchor or letter)[1:]}"
            found = categories.setdefault(axis, [])
            found.extend(t for t in texts if t not in found)
    for axis, texts in categories.items():
        if not any(len(line) > LABEL_LIMIT for t in texts for line in t.split(LINE_BREAK)):
            continue
        layout_axis = figure.layout[axis]
        if layout_axis.ticktext is not None:
            continue  # the chart chose its own labels
        layout_axis.tickmode = "array"
        layout_axis.tickvals = texts
        layout_axis.ticktext = [short_label(t) for t in texts]
    return figure
