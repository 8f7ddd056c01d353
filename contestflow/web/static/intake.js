// The upload form, enhanced: drag and drop, a progress bar, and the answer shown in place.
// Without JavaScript the same form still posts and the server redirects back to the page.
(function () {
  "use strict";
  var form = document.querySelector("form.upload");
  if (!form) { return; }
  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector(".dropzone");
  var chosen = form.querySelector(".chosen");
  var bar = form.querySelector("progress");
  var status = form.querySelector(".status");
  var button = form.querySelector("button[type=submit]");
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var maxBytes = Number(form.dataset.maxBytes);
  var dropped = null;

  function say(text, kind) {
    status.textContent = text;
    status.className = "status" + (kind ? " " + kind : "");
  }

  function selected() {
    return dropped || (input.files && input.files[0]) || null;
  }

  function upload(file) {
    if (!file) { input.click(); return; }
    if (file.size > maxBytes) { say(form.dataset.tooLarge, "error"); return; }
    // A piece's details (outlet, author, date, kind) travel with the file and are checked
    // before it is kept: a piece outside the contest's window is refused whole.
    var details = form.querySelectorAll("fieldset.details input, fieldset.details select");
    for (var i = 0; i < details.length; i += 1) {
      if (!details[i].checkValidity()) { details[i].reportValidity(); return; }
    }
    var data = new FormData();
    data.append("csrf_token", csrf);  // before the file: the server checks it first
    for (var j = 0; j < details.length; j += 1) { data.append(details[j].name, details[j].value); }
    data.append("file", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) { bar.value = Math.round(100 * event.loaded / event.total); }
    };
    xhr.onload = function () {
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (ignored) { answer = {}; }
      if (xhr.status === 201) {
        bar.value = 100;
        window.location.assign(form.action + "?done=" + encodeURIComponent(answer.version));
      } else {
        bar.hidden = true;
        button.disabled = false;
        say(answer.error || form.dataset.networkError, "error");
      }
    };
    xhr.onerror = function () {
      bar.hidden = true;
      button.disabled = false;
      say(form.dataset.networkError, "error");
    };
    bar.hidden = false;
    bar.value = 0;
    button.disabled = true;
    say(form.dataset.uploading, "");
    xhr.send(data);
  }

  input.addEventListener("change", function () {
    dropped = null;
    chosen.textContent = input.files.length ? input.files[0].name : "";
    say("", "");
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length) {
      dropped = files[0];
      chosen.textContent = dropped.name;
      upload(dropped);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    upload(selected());
  });
}());
