/* Check-in in two taps: the page asks for the position as it opens; tapping "Check in"
   opens the front camera; taking the selfie sends the form with the position at once. */
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  if (!form) return;
  var status = document.getElementById("geo-status");
  var progress = document.getElementById("check-progress");
  var fix = null, pending = null;

  function say(text) { status.textContent = text; }
  function fill(position) {
    var c = position.coords;
    fix = position;
    form.elements.latitude.value = c.latitude.toFixed(6);
    form.elements.longitude.value = c.longitude.toFixed(6);
    form.elements.accuracy.value = Math.round(c.accuracy);
    form.elements.captured_at.value = new Date(position.timestamp || Date.now()).toISOString();
    say(form.dataset.located.replace("%s", Math.round(c.accuracy)));
    if (pending) send(pending);
  }
  function send(input) {
    pending = null;
    form.querySelectorAll("input[type=file]").forEach(function (other) {
      if (other !== input) other.disabled = true;
    });
    form.elements.kind.value = input.dataset.kind;
    say(form.dataset.sending);
    progress.hidden = false;
    form.submit();
  }
  if (!("geolocation" in navigator)) { say(form.dataset.denied); return; }
  navigator.geolocation.watchPosition(fill, function () { say(form.dataset.denied); },
    { enableHighAccuracy: true, maximumAge: 0, timeout: 20000 });
  form.querySelectorAll("input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (!input.files.length) return;
      if (fix) send(input); else { pending = input; say(form.dataset.waiting); }
    });
  });
})();
