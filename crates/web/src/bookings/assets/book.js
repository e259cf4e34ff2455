// The booking page's one script: it shows the free times in the visitor's own time zone (the
// browser's, once, when the page was not told a zone) and applies a zone picked in the list at
// once. Without it the page shows the business's zone and the list's button applies another.
(function () {
  "use strict";
  var form = document.querySelector("form.book-zone");
  if (!form) return;
  var select = form.querySelector("select[name=tz]");
  if (!select) return;
  select.addEventListener("change", function () { form.submit(); });
  if (!form.hasAttribute("data-tz-auto")) return;
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
  if (!zone || select.value === zone) return;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.value = zone;
      form.submit();
      return;
    }
  }
})();
