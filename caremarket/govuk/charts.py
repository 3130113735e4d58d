"""Vega-Lite specifications for charts: plain data in, a JSON-ready dict out.

The browser draws them with Vega's CSP-safe expression interpreter (no ``eval``; see
web/charts/charts.js); the data table beside each chart is the same records, so a chart never
says more than its table. A target or budget drawn over the bars is hidden from screen readers
(``aria: False``): the table says it, and an empty layer would otherwise be an unlabelled image.
"""

from __future__ import annotations

from decimal import Decimal

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

# GOV.UK's colour palette, in an order that stays distinct for the common colour blindnesses.
COLOURS = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#5694ca", "#85994b", "#6f72af"]
# The council's ratings, best first, then "not yet rated": gold, silver, bronze, red, pale grey.
RATING_COLOURS = ["#b58840", "#6f777b", "#8e4d1f", "#d4351c", "#b1b4b6"]


def _base(data: list[dict], description: str, *, height: int = 260) -> dict:
    # Exact numbers (hours, pounds) travel as text and Vega reads them as numbers: no float on the way.
    exact = sorted({name for row in data for name, value in row.items() if isinstance(value, Decimal)})
    values = [{name: str(value) if isinstance(value, Decimal) else value for name, value in row.items()}
              for row in data]
    return {
        "$schema": SCHEMA,
        "description": description,
        "data": {"values": values} | ({"format": {"parse": {name: "number" for name in exact}}} if exact else {}),
        "width": "container",
        "height": height,
        "config": {
            "font": "arial, sans-serif",
            "axis": {"labelFontSize": 14, "titleFontSize": 14, "labelLimit": 220},
            "legend": {"labelFontSize": 14, "titleFontSize": 14, "orient": "bottom"},
            "range": {"category": COLOURS},
            "view": {"stroke": None},
        },
    }


def _field(name: str, kind: str, title: str, **more) -> dict:
    return {"field": name, "type": kind, "title": title, **more}


def stacked_bars_with_target(data: list[dict], *, category: str, category_title: str, value: str,
                             value_title: str, series: str, series_title: str, target: str,
                             description: str) -> dict:
    """Horizontal bars per category stacked by series, with the ``target`` series drawn as a
    mark across each bar (hours in place by service type, against the hours commissioned)."""
    height = max(120, 44 * len({row[category] for row in data}))
    y = _field(category, "nominal", category_title, sort=None)
    x = _field(value, "quantitative", value_title)
    return _base(data, description, height=height) | {
        "layer": [
            {"transform": [{"filter": {"not": {"field": series, "equal": target}}}],
             "mark": {"type": "bar", "tooltip": True},
             "encoding": {"y": y, "x": x, "color": _field(series, "nominal", series_title, sort=None)}},
            {"transform": [{"filter": {"field": series, "equal": target}}],
             "mark": {"type": "tick", "thickness": 4, "color": "#0b0c0c", "tooltip": True, "aria": False},
             "encoding": {"y": y, "x": x}},
        ],
    }


def stacked_bars(data: list[dict], *, category: str, category_title: str, value: str, value_title: str,
                 series: str, series_title: str, description: str, series_order: list[str] | None = None,
                 colours: list[str] | None = None) -> dict:
    """Vertical bars per category, stacked by series (services by provider size, rating on top);
    ``colours`` gives each series in ``series_order`` its own colour (a rating its own)."""
    colour = _field(series, "nominal", series_title, sort=series_order)
    if series_order:
        colour["scale"] = {"domain": series_order} | ({"range": colours} if colours else {})
    return _base(data, description) | {
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": _field(category, "nominal", category_title, sort=None, axis={"labelAngle": 0}),
            "y": _field(value, "quantitative", value_title),
            "color": colour,
        },
    }


def bars(data: list[dict], *, category: str, category_title: str, value: str, value_title: str,
         description: str) -> dict:
    return _base(data, description) | {
        "mark": {"type": "bar", "tooltip": True, "color": COLOURS[0]},
        "encoding": {
            "x": _field(category, "nominal", category_title, sort=None, axis={"labelAngle": 0}),
            "y": _field(value, "quantitative", value_title),
        },
    }


def horizontal_bars(data: list[dict], *, category: str, value: str, value_title: str, description: str) -> dict:
    """Bars across the page, for long names (services, providers), in the data's order."""
    return _base(data, description, height=max(len(data) * 28, 60)) | {
        "mark": {"type": "bar", "tooltip": True, "color": COLOURS[0]},
        "encoding": {
            # The names say what they are: no axis title beside them, and room for the whole name.
            "y": _field(category, "nominal", None, sort=None, axis={"labelLimit": 380}),
            "x": _field(value, "quantitative", value_title),
        },
    }


def lines(data: list[dict], *, month: str, value: str, value_title: str, series: str, series_title: str,
          description: str) -> dict:
    """One line a series over the months (``month`` is YYYY-MM)."""
    return _base(data, description) | {
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": _field(month, "temporal", "Month", timeUnit="yearmonth", axis={"format": "%b %Y"}),
            "y": _field(value, "quantitative", value_title),
            "color": _field(series, "nominal", series_title, sort=None),
        },
    }


def bars_and_line(data: list[dict], *, category: str, category_title: str, value: str, value_title: str,
                  bar_series: str, line_series: str, series: str, description: str) -> dict:
    """Bars for one series with a line for another on the same scale (spend against budget)."""
    return _base(data, description) | {
        "encoding": {
            "x": _field(category, "ordinal", category_title, sort=None, axis={"labelAngle": 0}),
            "y": _field(value, "quantitative", value_title),
            "color": _field(series, "nominal", "", sort=[bar_series, line_series]),
        },
        "layer": [
            {"transform": [{"filter": {"field": series, "equal": bar_series}}],
             "mark": {"type": "bar", "tooltip": True}},
            {"transform": [{"filter": {"field": series, "equal": line_series}}],
             "mark": {"type": "line", "tooltip": True, "aria": False}},
        ],
    }


def trend(data: list[dict], *, month: str, value: str, value_title: str, target: Decimal | None,
          description: str) -> dict:
    """One measure over the months (``month`` is YYYY-MM), with its target as a dashed line."""
    line = {"mark": {"type": "line", "point": True, "tooltip": True, "color": COLOURS[0]},
            "encoding": {"x": _field(month, "temporal", "Month", timeUnit="yearmonth", axis={"format": "%b %Y"}),
                         "y": _field(value, "quantitative", value_title)}}
    spec = _base(data, description, height=180)
    if target is None:
        return spec | line
    return spec | {"layer": [line, {"data": {"values": [{"target": str(target)}],
                                             "format": {"parse": {"target": "number"}}},
                                    "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#0b0c0c", "aria": False},
                                    "encoding": {"y": _field("target", "quantitative", "Target")}}]}
