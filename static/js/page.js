// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can
// refuse inline scripts and handlers.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-print]");
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
// The staff queue: "tick all" ticks the rows' boxes of its form; "/" jumps to the search.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    var form = target.getAttribute && target.getAttribute("data-check-all");
    if (!form) return;
    document.querySelectorAll('input[type="checkbox"][name="task"][form="' + form + '"]')
      .forEach(function (box) { box.checked = target.checked; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var active = document.activeElement;
    if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
    var search = document.querySelector("[data-search-shortcut]");
    if (search) {
      event.preventDefault();
      search.focus();
    }
  });
})();
// The staff decision: confirmed in a dialog before it is saved (without JavaScript the
// server asks on a confirmation step instead); a confirmation step takes the focus.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form.getAttribute && form.getAttribute("data-confirm-decision");
    if (!text) return;
    var select = form.querySelector('select[name="decision"]');
    var confirmed = form.querySelector('input[name="confirmed"]');
    if (!select || !select.value || !confirmed) return; // the server names what is missing
    var label = select.options[select.selectedIndex].text;
    if (window.confirm(text.replace("{decision}", label))) {
      confirmed.value = "1";
    } else {
      event.preventDefault();
    }
  });
  var target = document.querySelector("[data-focus-on-load]");
  if (target) target.focus();
})();
// The header's menu on a narrow screen: folded behind its button (aria-expanded), opened
// and closed by it, closed again with Escape. Without JavaScript the menu stays open.
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!menu) return;
  document.documentElement.classList.add("js");
  toggle.hidden = false;
  function set(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  }
  toggle.addEventListener("click", function () {
    set(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      set(false);
      toggle.focus();
    }
  });
})();
