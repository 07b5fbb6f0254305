/* Alur: application forms with upload progress.
 * Without JavaScript the form posts normally; with it, the same POST goes through
 * XMLHttpRequest so a progress bar can show the upload, files are checked for size
 * before sending, and a second click does nothing while the first is on its way. */
(function () {
  "use strict";

  function checkFile(input) {
    var max = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
    var message = "";
    if (max && input.files) {
      for (var i = 0; i < input.files.length; i++) {
        if (input.files[i].size > max) { message = input.getAttribute("data-too-big") || "Too large"; }
      }
    }
    input.setCustomValidity(message);
  }

  function focusSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  function setup(form) {
    var button = form.querySelector("button[type=submit]");
    var box = form.querySelector(".upload-progress");
    var bar = box && box.querySelector("progress");
    var percent = box && box.querySelector(".upload-percent");
    var failed = form.querySelector(".upload-error");

    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      input.addEventListener("change", function () { checkFile(input); });
    });

    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sending")) { event.preventDefault(); return; }
      Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), checkFile);
      if (!form.checkValidity()) { event.preventDefault(); form.reportValidity(); return; }
      if (!window.FormData || !window.XMLHttpRequest) {
        form.setAttribute("data-sending", "1");
        if (button) { button.disabled = true; }
        return; /* plain post */
      }
      event.preventDefault();
      form.setAttribute("data-sending", "1");
      if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
      if (failed) { failed.hidden = true; }
      if (box) { box.hidden = false; }

      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable || !bar) { return; }
        var p = Math.round((e.loaded / e.total) * 100);
        bar.value = p;
        bar.textContent = p + "%";
        if (percent) { percent.textContent = p + "%"; }
      });
      xhr.addEventListener("load", function () {
        var target = xhr.getResponseHeader("X-Location");
        if (xhr.status < 400 && target) {
          window.location.assign(target); /* done: on to the receipt / the request page */
          return;
        }
        /* The server answered with the form again (errors next to the fields). */
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        form.removeAttribute("data-sending");
        if (button) { button.disabled = false; button.removeAttribute("aria-busy"); }
        if (box) { box.hidden = true; }
        if (failed) { failed.hidden = false; }
      });
      xhr.send(new FormData(form));
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-upload]"), setup);
    focusSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
