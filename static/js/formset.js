// "Add a row" for Django formsets: clones the <template data-formset-template="PREFIX">
// into the container and bumps PREFIX-TOTAL_FORMS. Without JavaScript the page still
// offers one blank row per save.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-formset-add]");
  if (!button) return;
  event.preventDefault();
  var prefix = button.getAttribute("data-formset-add");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.querySelector('template[data-formset-template="' + prefix + '"]');
  var container = document.getElementById(button.getAttribute("aria-controls"));
  if (!total || !template || !container) return;
  var index = parseInt(total.value, 10);
  var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
  container.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  var first = container.lastElementChild && container.lastElementChild.querySelector("input, textarea, select");
  if (first) first.focus();
});
