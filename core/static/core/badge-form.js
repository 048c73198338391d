// Suggest a slug from the badge name until the manager types their own.
(function () {
  const name = document.getElementById("id_name");
  const slug = document.getElementById("id_slug");
  if (!name || !slug || slug.disabled) return;
  let touched = slug.value !== "";
  const suggest = () => {
    if (touched) return;
    slug.value = name.value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 100);
  };
  slug.addEventListener("input", () => { touched = slug.value !== ""; });
  name.addEventListener("input", suggest);
  if (name.value) suggest();  // a name typed before this script ran
})();
