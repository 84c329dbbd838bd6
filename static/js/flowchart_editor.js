// Flowchart editor: keep the step names in the transition lists in step with what the
// clerk types (the server renders them the same way on every round trip).
(function () {
  "use strict";
  var form = document.getElementById("flowchart-editor");
  if (!form) { return; }
  var unnamed = form.getAttribute("data-unnamed") || "";
  form.addEventListener("input", function (event) {
    var match = /^id_step-(\d+)-name$/.exec(event.target.id || "");
    if (!match) { return; }
    var index = Number(match[1]);
    var key = form.querySelector("#id_step-" + index + "-key");
    if (!key) { return; }
    var text = (index + 1) + ". " + (event.target.value.trim() || unnamed);
    form.querySelectorAll("table.transitions option").forEach(function (option) {
      if (option.value === key.value) { option.textContent = text; }
    });
  });
}());
