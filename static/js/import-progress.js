/* Alur: a SIASN import's progress, polled from the server while the worker reads the
 * file; the page reloads with the summary when it is finished. Without JavaScript the
 * page refreshes itself (meta refresh in <noscript>). */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var status = box.getAttribute("data-status");
  if (status !== "queued" && status !== "running") { return; }
  var bar = box.querySelector("progress");
  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", box.getAttribute("data-url"));
    xhr.addEventListener("load", function () {
      if (xhr.status !== 200) { window.setTimeout(poll, 3000); return; }
      var data = JSON.parse(xhr.responseText);
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
      box.querySelector(".import-percent").textContent = data.percent + "%";
      box.querySelector(".import-rows").textContent = data.rows_read;
      box.querySelector(".import-status").textContent = data.status_label;
      if (data.finished) { window.location.reload(); return; }
      window.setTimeout(poll, 1000);
    });
    xhr.addEventListener("error", function () { window.setTimeout(poll, 3000); });
    xhr.send();
  }
  window.setTimeout(poll, 500);
})();
