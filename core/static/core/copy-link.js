// "Copy link" buttons: copy the target input's value, and say so briefly, to
// screen readers too (the status region is aria-live). The words come from the
// page (data-copied), in its language.
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  const status = document.getElementById(button.dataset.copyStatus);
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copyTarget);
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch (err) {
      document.execCommand("copy");
    }
    const label = button.textContent;
    button.textContent = button.dataset.copied;
    if (status) status.textContent = button.dataset.copied;
    setTimeout(() => {
      button.textContent = label;
      if (status) status.textContent = "";
    }, 1500);
  });
});
