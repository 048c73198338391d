// After a failed submit, take the keyboard and the screen reader to what went wrong:
// the error summary (templates/forms/form.html) when there is one, else the first
// invalid field; after a check answered on the page it came from, to that answer.
// Links in the summary move focus to their field, not only the view.
(function () {
  const summary = document.querySelector("[data-error-summary]");
  const target =
    summary || document.querySelector("[aria-invalid='true']") || document.querySelector("[data-focus-result]");
  if (target) target.focus();
  document.querySelectorAll("[data-error-summary] a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    });
  });
})();
