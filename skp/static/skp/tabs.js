// Accessible tabs (WAI-ARIA tabs pattern): links work without JavaScript (?tab=...),
// with it the panels switch in place and the arrow keys move between tabs.
(function () {
  document.querySelectorAll("[data-tabs]").forEach(function (root) {
    var tabs = Array.prototype.slice.call(root.querySelectorAll('[role="tab"]'));
    function select(tab, focus) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.setAttribute("tabindex", on ? "0" : "-1");
        document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
      });
      if (focus) tab.focus();
      if (window.history && history.replaceState) history.replaceState(null, "", tab.getAttribute("href"));
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function (e) { e.preventDefault(); select(tab, false); });
      tab.addEventListener("keydown", function (e) {
        var next = null;
        if (e.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
        else if (e.key === "ArrowLeft") next = tabs[(i - 1 + tabs.length) % tabs.length];
        else if (e.key === "Home") next = tabs[0];
        else if (e.key === "End") next = tabs[tabs.length - 1];
        else if (e.key === " ") { e.preventDefault(); select(tab, false); return; }
        if (next) { e.preventDefault(); select(next, true); }
      });
    });
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();
