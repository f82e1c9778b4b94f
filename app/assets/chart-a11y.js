/* Each chart is one image named by its summary sentence (the figure's caption, app/components.py figure_block):
   plotly.js draws its plot as several <svg> elements that screen readers met as images named by the run-on of their
   tick and target labels, and one unnamed. The first becomes role="img" labelled by the caption, the others are
   hidden from assistive technology, as are the drawing inside the first and the modebar's icons (its buttons keep their
   own names). Re-applied whenever plotly redraws. */
(function () {
    "use strict";
    function set(el, name, value) {
        if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
    }
    function label() {
        /* plotly's off-screen text-measuring svg: a drawing without meaning */
        document.querySelectorAll("#js-plotly-tester").forEach(function (el) {
            set(el, "aria-hidden", "true");
        });
        document.querySelectorAll("figure.figure").forEach(function (fig) {
            var caption = fig.querySelector("figcaption.summary[id]");
            if (!caption) { return; }
            fig.querySelectorAll(".js-plotly-plot svg.main-svg").forEach(function (svg, i) {
                if (i === 0) {
                    set(svg, "role", "img");
                    set(svg, "aria-labelledby", caption.id);
                    svg.removeAttribute("aria-hidden");
                    /* an image's drawing is not read out piece by piece (Chromium exposes svg text under role=img) */
                    Array.prototype.forEach.call(svg.children, function (part) { set(part, "aria-hidden", "true"); });
                } else {
                    set(svg, "aria-hidden", "true");
                }
            });
            /* the toolbar's buttons are named (aria-label); their icons are decoration */
            fig.querySelectorAll(".modebar-btn svg").forEach(function (icon) { set(icon, "aria-hidden", "true"); });
        });
    }
    var pending = false;
    function schedule() {
        if (pending) { return; }
        pending = true;
        window.requestAnimationFrame(function () { pending = false; label(); });
    }
    function start() {
        new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
        schedule();
    }
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
