"""A chart shows people's words as written (no links from a plan's data), while the line
breaks the chart itself puts in its long labels stay breaks, not a visible ``<br>``."""

from __future__ import annotations

import plotly.graph_objects as go

from prevplan.analytics.chart_labels import wrap_label
from prevplan.ui.plain_charts import LABEL_LIMIT, plain_figure, plain_text, short_label


def test_markup_in_data_is_shown_literally_but_wrapped_labels_keep_their_breaks() -> None:
    assert plain_text("<a href='x'>A & B</a>") == "&lt;a href='x'&gt;A &amp; B&lt;/a&gt;"
    wrapped = wrap_label("Treatment, resocialisation and rehabilitation", 28)
    assert "<br>" in wrapped
    assert plain_text(wrapped) == wrapped


def test_a_wrapped_label_is_shortened_line_by_line() -> None:
    line = "word " * 12
    label = f"short<br>{line.strip()}"
    shortened = short_label(label)
    first, second = shortened.split("<br>")
    assert first == "short"
    assert second.endswith("…") and len(second) <= LABEL_LIMIT


def test_a_heatmap_with_wrapped_labels_keeps_them_whole() -> None:
    levels = [wrap_label("Treatment, resocialisation and rehabilitation", 28), "<b>x</b>"]
    figure = plain_figure(go.Figure(go.Heatmap(z=[[1], [2]], x=["a"], y=levels)))
    assert list(figure.data[0].y) == [levels[0], "&lt;b&gt;x&lt;/b&gt;"]
    assert figure.layout.yaxis.ticktext is None  # no line over the limit: nothing shortened
