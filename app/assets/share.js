/* "Copy link" and "Embed" (app/share.py): clientside callbacks, here rather than inline (the CSP has no
   'unsafe-inline' and no 'unsafe-eval' for scripts). The view is in the address, so both read location. */
(function () {
    "use strict";
    var no = function () { return window.dash_clientside.no_update; };

    function base(texts) {
        return (texts && texts.base) || window.location.origin;
    }

    function pageUrl(texts) {
        return base(texts) + window.location.pathname + window.location.search;
    }

    /* /explore?… → /embed/<chart>?…; /country/NPL?… → /embed/country?iso3=NPL&… */
    function embedUrl(chart, texts) {
        var params = new URLSearchParams(window.location.search);
        var match = window.location.pathname.match(/^\/country\/([A-Za-z]{3})/);
        var query = (match ? "iso3=" + match[1].toUpperCase() + "&" : "") + params.toString();
        return base(texts) + "/embed/" + chart + (query ? "?" + query : "");
    }

    function escapeAttr(text) {
        return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
    }

    /* the title of the chart these controls belong to: the nearest figure before them */
    function chartTitle(chart) {
        var box = document.querySelector('.share[data-chart="' + chart + '"]');
        for (var el = box && box.previousElementSibling; el; el = el.previousElementSibling) {
            var title = el.matches("figure") ? el.querySelector(".figure-title") : null;
            if (title) { return title.textContent; }
        }
        return "";
    }

    function triggered() {
        var ctx = window.dash_clientside.callback_context;
        var first = ctx.inputs_list && ctx.inputs_list[0];
        return ctx.triggered_id || (first && first.id) || {};
    }

    async function write(text) {
        if (navigator.clipboard && window.isSecureContext) {
            await navigator.clipboard.writeText(text);
            return;
        }
        var area = document.createElement("textarea"); /* http:// on another host: the clipboard API is absent */
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        var ok = document.execCommand("copy");
        document.body.removeChild(area);
        if (!ok) { throw new Error("copy refused"); }
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        share: {
            copyLink: async function (linkClicks, codeClicks, code, texts) {
                var id = triggered();
                var isCode = id.type === "share-embed-copy";
                if (!(isCode ? codeClicks : linkClicks)) { return no(); }
                var text = isCode ? (code || embedCode(id.chart, texts)) : pageUrl(texts);
                try {
                    await write(text);
                    return (isCode ? texts.code_copied : texts.copied) + " ";
                } catch (err) {
                    return texts.failed + " " + text;
                }
            },
            embedCode: function (clicks, texts) {
                var id = triggered();
                if (!id.chart) { return no(); }
                return embedCode(id.chart, texts);
            },
        },
    });

    function embedCode(chart, texts) {
        var title = chartTitle(chart) || (texts && texts.frame_title) || "";
        return '<iframe src="' + escapeAttr(embedUrl(chart, texts)) + '" title="' + escapeAttr(title) +
            '" width="100%" height="560" style="border:0" loading="lazy"></iframe>';
    }
})();
