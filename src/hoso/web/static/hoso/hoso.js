// hoso's only script (CSP: no inline code). Shows upload progress on forms that ask for it.
document.addEventListener("htmx:xhr:progress", function (event) {
  var form = event.target.closest("form[data-progress]");
  if (!form || !event.detail.lengthComputable) return;
  var bar = document.getElementById(form.dataset.progress);
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});
