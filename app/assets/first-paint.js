/* The hand-over from the first paint (the static copy the server puts in Dash's root, app/first_paint.py) to the
   live page. Runs before Dash's renderer starts (assets load before it): the copy is moved out of the root, so
   React never clears it and its "Loading..." never shows; the live page builds in the root, laid out but hidden,
   underneath; when every graph on it is drawn, the copy goes and the live page shows, in the same place. */
(function () {
  "use strict";
  var root = document.getElementById("react-entry-point");
  var copy = document.getElementById("first-paint");
  if (!root || !copy) { document.documentElement.classList.add("fp-live"); return; }
  root.parentNode.insertBefore(copy, root);
  root.classList.add("fp-building");
  var done = false;
  var observer;

  function drawn() {
    var content = document.getElementById("_pages_content");
    if (!content || !content.firstElementChild) { return false; }
    var graphs = content.querySelectorAll(".dash-graph");
    for (var i = 0; i < graphs.length; i++) {
      if (!graphs[i].querySelector(".main-svg")) { return false; }
    }
    return true;
  }

  function swap() {
    if (done) { return; }
    done = true;
    if (observer) { observer.disconnect(); }
    var y = window.scrollY;
    var focused = document.activeElement && copy.contains(document.activeElement);
    copy.remove();
    root.classList.remove("fp-building");
    window.scrollTo(0, y);
    if (focused) { var main = document.getElementById("main"); if (main) { main.focus({preventScroll: true}); } }
    document.documentElement.classList.add("fp-live");
  }

  function check() { if (!done && drawn()) { window.requestAnimationFrame(swap); } }
  observer = new MutationObserver(check);
  observer.observe(root, {childList: true, subtree: true});
  /* a page whose graphs cannot draw (plotly failed to load) still becomes live once its content is there */
  window.setTimeout(function () {
    var content = document.getElementById("_pages_content");
    if (content && content.firstElementChild) { swap(); }
  }, 20000);
})();
