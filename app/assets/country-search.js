/* The /country search box (app/components.py country_search, callbacks in app/pages/countries.py): a file rather
   than inline code (the CSP has no 'unsafe-inline' for scripts). The server sends every economy's search key,
   folded by components.search_text; what is typed is folded here the same way. */
(function () {
    "use strict";

    /* accents dropped, lower case, every run of spaces and punctuation one space (components.search_text) */
    function fold(text) {
        return String(text || "").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
            .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    }

    /* the items (in the list's order) whose key holds the folded query */
    function matching(query, data) {
        var q = fold(query);
        return (data.items || []).filter(function (item) { return item[1].indexOf(q) !== -1; });
    }

    function idsOf(k) {
        var outputs = window.dash_clientside.callback_context.outputs_list || [];
        return (outputs[k] || []).map(function (o) { return o.id; });
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        countries: {
            fold: fold, /* for tests/test_country_search_keys.py: the same folding as the server's */
            filter: function (value, data) {
                var query = String(value || "").trim();
                var shown = {};
                var regions = {};
                matching(query, data || {}).forEach(function (item) {
                    shown[item[0]] = true;
                    regions[item[2]] = true;
                });
                var n = Object.keys(shown).length;
                var status = "";
                if (query) {
                    status = n === 0 ? data.none.replace("{query}", function () { return query; })
                        : (n === 1 ? data.one : data.many).replace("{n}", String(n));
                }
                return [
                    idsOf(0).map(function (id) { return !shown[id.iso3]; }),
                    idsOf(1).map(function (id) { return !regions[id.region]; }),
                    status,
                ];
            },
            open: function (submits, value, data) {
                var first = String(value || "").trim() ? matching(value, data || {})[0] : null;
                if (first) { window.location.assign(first[3]); }
            },
        },
    });
})();
