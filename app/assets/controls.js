/* The pages' form controls (app/controls.py): native elements with their ARIA, drawn by React from Dash's props.
   Dash's renderer resolves a component of namespace "app_controls" in window.app_controls. The markup matches
   app/controls.py's static_html, which the server-rendered first paint draws, so nothing moves when these take over. */
(function () {
    "use strict";
    var h = React.createElement;

    function options(data) {
        return (data || []).map(function (o) {
            return o !== null && typeof o === "object"
                ? { value: String(o.value), label: String(o.label == null ? o.value : o.label) }
                : { value: String(o), label: String(o) };
        });
    }

    function words(template, fill) {
        return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
            return fill[key] == null ? all : String(fill[key]);
        });
    }

    /* case, accents and width folded away, so "cote" finds "Côte d'Ivoire" */
    function fold(text) {
        return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    }

    function width(props) {
        return typeof props.width === "number" ? { width: props.width + "px" } : undefined;
    }

    function cls(base, props) {
        return props.className ? base + " " + props.className : base;
    }

    function Select(props) {
        var value = props.value == null ? "" : String(props.value);
        return h("div", { className: cls("ctl ctl-select", props), style: width(props) },
            h("label", { className: "ctl-label", htmlFor: props.id }, props.label),
            h("select", {
                id: props.id, className: "ctl-input", value: value,
                onChange: function (e) { props.setProps({ value: e.target.value }); }
            }, options(props.data).map(function (o) {
                return h("option", { key: o.value, value: o.value }, o.label);
            })));
    }

    function Segmented(props) {
        var value = String(props.value);
        return h("div", {
            id: props.id, className: cls("ctl-segmented", props), role: "radiogroup", "aria-label": props["aria-label"]
        }, options(props.data).map(function (o) {
            return h("label", { key: o.value, className: "ctl-segment" },
                h("input", {
                    type: "radio", name: props.id, value: o.value, checked: o.value === value,
                    onChange: function () { props.setProps({ value: o.value }); }
                }),
                h("span", null, o.label));
        }));
    }

    function Switch(props) {
        return h("label", { className: cls("ctl-switch", props) },
            h("input", {
                type: "checkbox", role: "switch", id: props.id, checked: !!props.checked,
                onChange: function (e) { props.setProps({ checked: e.target.checked }); }
            }),
            h("span", { className: "ctl-track", "aria-hidden": "true" }),
            h("span", { className: "ctl-switch-label" }, props.label));
    }

    /* ARIA tabs, activated on focus: arrow keys, Home and End move along the list */
    function Tabs(props) {
        var tabs = options(props.data), value = String(props.value), id = props.id;
        var buttons = React.useRef({});
        function choose(next, focus) {
            if (next !== value) props.setProps({ value: next });
            if (focus && buttons.current[next]) buttons.current[next].focus();
        }
        function onKeyDown(e) {
            var i = tabs.findIndex(function (o) { return o.value === value; }), n = tabs.length, j = null;
            if (e.key === "ArrowRight") j = (i + 1) % n;
            else if (e.key === "ArrowLeft") j = (i - 1 + n) % n;
            else if (e.key === "Home") j = 0;
            else if (e.key === "End") j = n - 1;
            if (j === null) return;
            e.preventDefault();
            choose(tabs[j].value, true);
        }
        return h("div", { id: id, className: cls("ctl-tabs", props) },
            h("div", { className: "ctl-tablist", role: "tablist", "aria-label": props["aria-label"], onKeyDown: onKeyDown },
                tabs.map(function (o) {
                    var on = o.value === value;
                    return h("button", {
                        key: o.value, type: "button", role: "tab", id: id + "-tab-" + o.value,
                        className: on ? "ctl-tab ctl-current" : "ctl-tab", "aria-selected": on ? "true" : "false",
                        "aria-controls": id + "-panel", tabIndex: on ? 0 : -1,
                        ref: function (el) { buttons.current[o.value] = el; },
                        onClick: function () { choose(o.value, false); }
                    }, o.label);
                })),
            h("div", {
                className: "ctl-panel", role: "tabpanel", id: id + "-panel", "aria-labelledby": id + "-tab-" + value
            }, props.children));
    }

    /* A combobox over the options not chosen yet (ARIA 1.2, list autocomplete), with the chosen ones as pills.
       Typing filters and makes the first match the active option; Enter adds the active option, so it adds the first
       match and never removes a chosen one (chosen options are not listed). Backspace in an empty box removes the
       last pill; each pill has its own remove button. */
    function MultiSelect(props) {
        var id = props.id, data = options(props.data), texts = props.texts || {};
        var chosen = (props.value || []).map(String);
        var query = React.useState(""), open = React.useState(false), active = React.useState(0);
        var said = React.useState("");
        var input = React.useRef(null), root = React.useRef(null);
        var labels = {};
        data.forEach(function (o) { labels[o.value] = o.label; });
        var full = typeof props.maxValues === "number" && chosen.length >= props.maxValues;
        var q = fold(query[0].trim());
        var matching = full ? [] : data.filter(function (o) {
            return chosen.indexOf(o.value) < 0 && (!q || fold(o.label).indexOf(q) >= 0);
        });
        var shown = typeof props.limit === "number" ? matching.slice(0, props.limit) : matching;
        var at = Math.max(0, Math.min(active[0], shown.length - 1));
        var expanded = open[0] && shown.length > 0;

        React.useEffect(function () {
            function away(e) {
                if (root.current && !root.current.contains(e.target)) open[1](false);
            }
            document.addEventListener("mousedown", away);
            document.addEventListener("focusin", away);
            return function () {
                document.removeEventListener("mousedown", away);
                document.removeEventListener("focusin", away);
            };
        }, []);
        React.useEffect(function () {
            var el = expanded && document.getElementById(id + "-opt-" + at);
            if (el && el.scrollIntoView) el.scrollIntoView({ block: "nearest" });
        }, [expanded, at]);

        function add(value) {
            props.setProps({ value: chosen.concat([value]) });
            query[1]("");
            active[1](0);
            said[1](words(texts.added, { name: labels[value] || value }));
        }
        function remove(value, focus) {
            props.setProps({ value: chosen.filter(function (v) { return v !== value; }) });
            said[1](words(texts.removed, { name: labels[value] || value }));
            if (focus && input.current) input.current.focus();
        }
        function onKeyDown(e) {
            if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                e.preventDefault();
                if (!open[0]) { open[1](true); said[1](""); return; }
                active[1](e.key === "ArrowDown" ? Math.min(at + 1, shown.length - 1) : Math.max(at - 1, 0));
            } else if (e.key === "Enter") {
                if ((open[0] || q) && shown.length) {
                    e.preventDefault();
                    add(shown[at].value);
                }
            } else if (e.key === "Escape") {
                if (open[0]) { e.preventDefault(); open[1](false); }
                else if (query[0]) { e.preventDefault(); query[1](""); }
            } else if (e.key === "Backspace" && query[0] === "" && chosen.length) {
                remove(chosen[chosen.length - 1], false);
            }
        }

        /* what the list says instead of options, and what the live region says: an addition or removal just made,
           until the reader types or opens the list again; else, while the list is open or filtered, its state */
        var hint = full ? words(texts.full, { n: props.maxValues }) : !matching.length ? texts.none : null;
        var status = said[0];
        if (!status && (open[0] || q)) status = hint || words(texts.count, { n: matching.length });
        var pills = chosen.length ? h("ul", { className: "ctl-pills", "aria-label": texts.chosen },
            chosen.map(function (v) {
                var label = labels[v] || v;
                return h("li", { key: v, className: "ctl-pill" },
                    h("span", { className: "ctl-pill-label" }, label),
                    h("button", {
                        type: "button", className: "ctl-remove", "aria-label": words(texts.remove, { name: label }),
                        onClick: function () { remove(v, true); }
                    }, "×"));
            })) : null;
        return h("div", { ref: root, className: cls("ctl ctl-multi", props), style: width(props) },
            h("label", { className: "ctl-label", id: id + "-label", htmlFor: id }, props.label),
            h("div", {
                className: "ctl-input ctl-box",
                onMouseDown: function (e) {
                    if (e.target === e.currentTarget && input.current) { e.preventDefault(); input.current.focus(); if (!open[0]) { open[1](true); said[1](""); } }
                }
            },
                pills,
                h("input", {
                    ref: input, id: id, className: "ctl-typing", type: "text", role: "combobox", autoComplete: "off",
                    "aria-autocomplete": "list", "aria-expanded": expanded ? "true" : "false",
                    "aria-controls": id + "-listbox", "aria-activedescendant": expanded ? id + "-opt-" + at : undefined,
                    placeholder: chosen.length ? undefined : props.placeholder, value: query[0],
                    onChange: function (e) { query[1](e.target.value); open[1](true); active[1](0); said[1](""); },
                    onClick: function () { if (!open[0]) { open[1](true); said[1](""); } },
                    onKeyDown: onKeyDown
                })),
            h("ul", {
                id: id + "-listbox", className: "ctl-listbox", role: "listbox", "aria-labelledby": id + "-label",
                hidden: !expanded
            }, shown.map(function (o, i) {
                return h("li", {
                    key: o.value, id: id + "-opt-" + i, role: "option", "aria-selected": i === at ? "true" : "false",
                    className: i === at ? "ctl-option ctl-active" : "ctl-option",
                    onMouseDown: function (e) { e.preventDefault(); },
                    onMouseMove: function () { if (i !== at) active[1](i); },
                    onClick: function () { add(o.value); }
                }, o.label);
            })),
            open[0] && (full || (q && !matching.length))
                ? h("p", { className: "ctl-empty", "aria-hidden": "true" }, hint) : null,
            h("span", { className: "visually-hidden", "aria-live": "polite" }, status));
    }

    window.app_controls = { Select: Select, MultiSelect: MultiSelect, Segmented: Segmented, Switch: Switch, Tabs: Tabs };
})();
