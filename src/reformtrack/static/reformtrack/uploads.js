// Uploads of several files with a progress bar: a form marked data-upload-progress is sent with
// XMLHttpRequest (whose upload events report the bytes sent) instead of a plain submit. The
// server's answer is shown as a plain submit would show it: its redirect (sent as the header
// X-Redirect-To, so the page's messages are not used up) is followed, a page
// with errors replaces this one. Without JavaScript the form submits as usual.
(function () {
  "use strict";

  function hasFiles(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function progressBar(form) {
    var box = form.querySelector(".upload-progress");
    if (!box) {
      box = document.createElement("div");
      box.className = "upload-progress";
      box.setAttribute("data-testid", "upload-progress");
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      var text = document.createElement("span");
      text.setAttribute("aria-live", "polite");
      box.appendChild(bar);
      box.appendChild(text);
      form.appendChild(box);
    }
    return { bar: box.querySelector("progress"), text: box.querySelector("span") };
  }

  function send(form, submitter) {
    var data = submitter ? new FormData(form, submitter) : new FormData(form);
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    var shown = progressBar(form);
    var label = form.getAttribute("data-upload-label") || "";
    var buttons = form.querySelectorAll("button, input[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", action.href);
    xhr.setRequestHeader("X-Upload-Progress", "1"); // the server answers a redirect as a header
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) { return; }
      var percent = Math.round((event.loaded / event.total) * 100);
      shown.bar.value = percent;
      shown.text.textContent = label + " " + percent + "%";
    });
    xhr.addEventListener("load", function () {
      shown.bar.value = 100;
      var next = xhr.getResponseHeader("X-Redirect-To");
      if (next) {
        window.location.assign(next);
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      buttons.forEach(function (b) { b.disabled = false; });
      shown.text.textContent = form.getAttribute("data-upload-failed") || "!";
    });
    xhr.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-upload-progress")) { return; }
    if (!hasFiles(form) || !window.FormData || !window.XMLHttpRequest) { return; }
    event.preventDefault();
    send(form, event.submitter || null);
  });
})();
