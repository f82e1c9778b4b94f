"""The pages' form controls: native HTML elements with their ARIA, and no component library.

Mantine's controls cost every page with a picker 195 KiB (brotli) before its first chart, and Dash's own dcc
controls fail axe (dcc.Dropdown's focusable input is aria-hidden, dcc.RadioItems renders an unnamed listbox). These
are what the pages need, each a thin React component in app/assets/controls.js (≈3 KiB), resolved by Dash's renderer
in ``window.app_controls``:

* :class:`Select`: a labelled native ``<select>``;
* :class:`MultiSelect`: a combobox (ARIA 1.2 list autocomplete) of the options not yet chosen, above the chosen ones'
  pills, each with its own remove button; typing filters, Enter adds the first match (or the one moved to with the
  arrow keys) and never removes a chosen one; a polite live region tells the matches, the additions and removals;
* :class:`Segmented`: a radio group of native radio buttons drawn as segments;
* :class:`Switch`: a native checkbox with ``role="switch"``;
* :class:`Tabs`: a tab list (arrow keys, Home, End) over one tab panel holding the page's children.

:func:`static_html` draws each as the server-rendered first paint (app/first_paint.py) draws the page: the same
elements and classes as the live component, so nothing moves when Dash replaces it, disabled (scripts off, they
could not act); the tabs are links, which work without scripts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from dash.development.base_component import Component

NAMESPACE = "app_controls"


class _Control(Component):
    """A component of app/assets/controls.js: its props, and any ``aria-``/``data-`` attribute."""

    _namespace = NAMESPACE
    _children_props: list[str] = []
    _base_nodes = ["children"]
    PROPS: tuple[str, ...] = ()

    def __init__(self, id: str, **props: Any):  # noqa: A002 - Dash's name for it
        self._prop_names = ["id", *self.PROPS]
        self._valid_wildcard_attributes = ["data-", "aria-"]
        self.available_properties = list(self._prop_names)
        self.available_wildcard_properties = list(self._valid_wildcard_attributes)
        super().__init__(id=id, **props)


class Select(_Control):
    """A labelled native ``<select>`` of ``data`` (values or ``{"value", "label"}``); ``value`` is the chosen one."""

    _type = "Select"
    PROPS = ("label", "data", "value", "width", "className")


class MultiSelect(_Control):
    """A combobox picker of several ``data`` options into ``value`` (at most ``maxValues``; ``limit`` listed at
    once); ``texts`` words its announcements (:func:`picker_texts`)."""

    _type = "MultiSelect"
    PROPS = ("label", "data", "value", "placeholder", "maxValues", "limit", "texts", "width", "className")


class Segmented(_Control):
    """One of a few ``data`` options as a radio group (name it with ``aria-label``)."""

    _type = "Segmented"
    PROPS = ("data", "value", "className")


class Switch(_Control):
    """An on/off ``checked`` choice, labelled ``label``."""

    _type = "Switch"
    PROPS = ("label", "checked", "className")


class Tabs(_Control):
    """A tab list of ``data`` (``value`` chosen, ``aria-label`` its name) over one panel holding ``children``."""

    _type = "Tabs"
    PROPS = ("children", "data", "value", "className")


def picker_texts(t: Callable[..., str]) -> dict[str, str]:
    """The picker's words in ``t``'s language; ``{name}`` and ``{n}`` are filled in by the browser."""
    keys = ("remove", "chosen", "count", "none", "full", "added", "removed")
    return {key: t(f"control.{key}", name="{name}", n="{n}") for key in keys}


def options(data: Iterable | None) -> list[dict]:
    """``data`` as ``{"value", "label"}`` dicts (a bare value is its own label)."""
    out = []
    for item in data or []:
        if isinstance(item, dict):
            out.append({"value": str(item.get("value")), "label": str(item.get("label", item.get("value")))})
        else:
            out.append({"value": str(item), "label": str(item)})
    return out


def _attrs(pairs: dict[str, Any]) -> str:
    parts = []
    for key, value in pairs.items():
        if value is None or value is False:
            continue
        parts.append(f" {key}" if value is True else f' {key}="{escape(str(value), quote=True)}"')
    return "".join(parts)


def _width(props: dict) -> str | None:
    width = props.get("width")
    return f"width:{width}px" if isinstance(width, int) else None


def _class(base: str, props: dict) -> str:
    extra = props.get("className")
    return f"{base} {extra}" if extra else base


def static_html(kind: str, props: dict, children: str, tab_href: Callable[[str], str], id_prefix: str = "") -> str:
    """The first paint's drawing of one control (``children``: its children, already drawn; ``tab_href``: the
    page's link with the tab changed; ``id_prefix`` before every id it writes and refers to)."""
    ident = id_prefix + str(props.get("id"))
    data = options(props.get("data"))
    if kind == "Select":
        value = str(props.get("value") if props.get("value") is not None else "")
        items = "".join(
            f"<option{_attrs({'value': o['value'], 'selected': o['value'] == value})}>{escape(o['label'])}</option>"
            for o in data
        )
        label = f'<label class="ctl-label" for="{escape(ident)}">{escape(str(props.get("label") or ""))}</label>'
        select = f"<select{_attrs({'id': ident, 'class': 'ctl-input', 'disabled': True})}>{items}</select>"
        return f"<div{_attrs({'class': _class('ctl ctl-select', props), 'style': _width(props)})}>{label}{select}</div>"
    if kind == "MultiSelect":
        labels = {o["value"]: o["label"] for o in data}
        chosen = [str(v) for v in props.get("value") or []]
        pills = "".join(
            f'<li class="ctl-pill"><span class="ctl-pill-label">{escape(labels.get(v, v))}</span>'
            f'<button type="button" class="ctl-remove" disabled aria-hidden="true">×</button></li>'
            for v in chosen
        )
        texts = props.get("texts") or {}
        pill_list = f'<ul class="ctl-pills"{_attrs({"aria-label": texts.get("chosen")})}>{pills}</ul>' if chosen else ""
        typing = _attrs(
            {
                "id": ident,
                "class": "ctl-typing",
                "type": "text",
                "role": "combobox",
                "aria-expanded": "false",
                "placeholder": None if chosen else props.get("placeholder"),
                "disabled": True,
            }
        )
        label = (
            f'<label class="ctl-label" id="{escape(ident)}-label" for="{escape(ident)}">'
            f"{escape(str(props.get('label') or ''))}</label>"
        )
        box = f'<div class="ctl-input ctl-box">{pill_list}<input{typing}></div>'
        return f"<div{_attrs({'class': _class('ctl ctl-multi', props), 'style': _width(props)})}>{label}{box}</div>"
    if kind == "Segmented":
        value = str(props.get("value"))
        items = "".join(
            '<label class="ctl-segment">'
            f"<input{_attrs({'type': 'radio', 'name': ident, 'value': o['value'], 'checked': o['value'] == value, 'disabled': True})}>"  # noqa: E501
            f"<span>{escape(o['label'])}</span></label>"
            for o in data
        )
        group = {"id": ident, "class": _class("ctl-segmented", props), "role": "radiogroup"}
        group["aria-label"] = props.get("aria-label")
        return f"<div{_attrs(group)}>{items}</div>"
    if kind == "Switch":
        box = _attrs({"type": "checkbox", "role": "switch", "id": ident, "checked": bool(props.get("checked")),
                      "disabled": True})  # fmt: skip
        label = escape(str(props.get("label") or ""))
        return (
            f'<label class="{_class("ctl-switch", props)}"><input{box}>'
            f'<span class="ctl-track" aria-hidden="true"></span><span class="ctl-switch-label">{label}</span></label>'
        )
    if kind == "Tabs":
        value = str(props.get("value"))
        tabs = "".join(
            f"<a{_attrs({'class': 'ctl-tab ctl-current' if o['value'] == value else 'ctl-tab', 'href': tab_href(o['value']), 'aria-current': 'page' if o['value'] == value else None})}>"  # noqa: E501
            f"{escape(o['label'])}</a>"
            for o in data
        )
        return (
            f"<div{_attrs({'id': ident, 'class': _class('ctl-tabs', props)})}>"
            f'<div class="ctl-tablist">{tabs}</div><div class="ctl-panel">{children}</div></div>'
        )
    return children
