// hoso's only script (CSP: no inline code): upload progress on forms that ask for it, and the
// organization picker's keyboard and choice (orgs/forms.py OrgPicker).
document.addEventListener("htmx:xhr:progress", function (event) {
  var form = event.target.closest("form[data-progress]");
  if (!form || !event.detail.lengthComputable) return;
  var bar = document.getElementById(form.dataset.progress);
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});

// ---- the organization picker ------------------------------------------------------------
// A text box (role=combobox) searches through htmx into a listbox; the focus stays in the
// box and aria-activedescendant names the highlighted result. Picking one fills the hidden
// id input (enabled only then) and writes the result's label into the box; typing again
// clears the id, so what is posted is either a picked id or the typed text.
(function () {
  function parts(element) {
    var root = element && element.closest && element.closest("[data-org-picker]");
    if (!root) return null;
    return {
      root: root,
      box: root.querySelector("[data-org-search]"),
      id: root.querySelector("[data-org-id]"),
      list: root.querySelector("[role=listbox]"),
    };
  }

  function options(p) {
    return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]"));
  }

  function show(p, open) {
    p.list.hidden = !open;
    p.box.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) highlight(p, null);
  }

  function highlight(p, option) {
    options(p).forEach(function (o) {
      var on = o === option;
      o.classList.toggle("active", on);
      o.setAttribute("aria-selected", on ? "true" : "false");
    });
    if (option) {
      p.box.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      p.box.removeAttribute("aria-activedescendant");
    }
  }

  function pick(p, option) {
    p.id.value = option.dataset.id;
    p.id.disabled = false;
    p.box.value = option.dataset.label;
    show(p, false);
    p.id.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // The query goes as `q`, whatever the box's own name (forms post it as <field>-q).
  document.addEventListener("htmx:configRequest", function (event) {
    var box = event.detail.elt;
    if (!box.matches || !box.matches("[data-org-search]")) return;
    delete event.detail.parameters[box.name];
    event.detail.parameters.q = box.value;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var p = parts(event.detail.target);
    if (!p || event.detail.target !== p.list) return;
    options(p).forEach(function (o, i) {
      o.id = p.list.id + "-" + i;
    });
    // Not after Escape: a late answer must not reopen what the user closed.
    var wanted = document.activeElement === p.box && !p.root.dataset.dismissed;
    show(p, wanted && p.list.children.length > 0);
  });

  document.addEventListener("input", function (event) {
    var p = parts(event.target);
    if (!p || event.target !== p.box) return;
    p.id.value = "";
    p.id.disabled = true;
    delete p.root.dataset.dismissed;
  });

  document.addEventListener("keydown", function (event) {
    var p = parts(event.target);
    if (!p || event.target !== p.box) return;
    var all = options(p);
    var current = all.indexOf(p.list.querySelector("[role=option].active"));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      if (p.list.hidden) {
        delete p.root.dataset.dismissed;
        show(p, true);
        current = -1;
      }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = current < 0 ? (step > 0 ? 0 : all.length - 1) : current + step;
      highlight(p, all[(next + all.length) % all.length]);
    } else if (event.key === "Enter" && !p.list.hidden && current >= 0) {
      event.preventDefault(); // choosing a result does not submit the form
      pick(p, all[current]);
    } else if (event.key === "Escape") {
      p.root.dataset.dismissed = "true";
      if (!p.list.hidden) {
        event.preventDefault();
        show(p, false);
      }
    }
  });

  // mousedown, not click: the box keeps the focus, so the list does not close first.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[data-org-picker] [role=option]");
    if (!option) return;
    event.preventDefault();
    pick(parts(option), option);
  });

  document.addEventListener("focusout", function (event) {
    var p = parts(event.target);
    if (p && event.target === p.box && !p.root.contains(event.relatedTarget)) show(p, false);
  });
})();
