// Writing tools for the Markdown text areas (question, answer, answer edit):
// a formatting toolbar, a live preview rendered by the server, and starter tags
// that add themselves to the Tags field. Progressive: without this script each
// form keeps its Preview button, and the starter tags are a list to read.
(function () {
  "use strict";

  // Replace text[from, to) and select [from + selFrom, from + selTo) of it.
  // execCommand keeps the browser's undo history; setRangeText is the fallback.
  function replace(area, from, to, text, selFrom, selTo) {
    area.focus();
    area.setSelectionRange(from, to);
    var done = false;
    try { done = document.execCommand("insertText", false, text); } catch (e) { done = false; }
    if (!done) {
      area.setRangeText(text, from, to, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
    area.setSelectionRange(from + selFrom, from + selTo);
  }

  // **bold**, _italic_, `code`: around the selection (its spaces stay outside),
  // or around a placeholder; clicking again on a wrapped selection unwraps it.
  function wrap(mark, placeholder) {
    return function (area) {
      var v = area.value, s = area.selectionStart, e = area.selectionEnd;
      var n = mark.length;
      if (v.slice(s - n, s) === mark && v.slice(e, e + n) === mark && e > s) {
        replace(area, s - n, e + n, v.slice(s, e), 0, e - s);
        return;
      }
      var chosen = v.slice(s, e);
      var lead = chosen.match(/^\s*/)[0];
      var core = chosen.trim() || placeholder;
      var trail = chosen.length > lead.length ? chosen.match(/\s*$/)[0] : "";
      replace(area, s, e, lead + mark + core + mark + trail,
        lead.length + n, lead.length + n + core.length);
    };
  }

  function link(area) {
    var v = area.value, s = area.selectionStart, e = area.selectionEnd;
    var chosen = v.slice(s, e).trim();
    if (/^https?:\/\/\S+$/i.test(chosen)) {
      replace(area, s, e, "[link text](" + chosen + ")", 1, 10);
      return;
    }
    var label = chosen || "link text";
    var text = "[" + label + "](https://)";
    var at = label.length + 3;
    replace(area, s, e, text, at, at + 8);
  }

  // The whole lines the selection touches, set apart from a paragraph around
  // them by blank lines (a list item would swallow the next line otherwise).
  function block(area, change) {
    var v = area.value, s = area.selectionStart, e = area.selectionEnd;
    if (e > s && v.charAt(e - 1) === "\n") { e -= 1; }
    var start = v.lastIndexOf("\n", s - 1) + 1;
    var end = v.indexOf("\n", e);
    if (end === -1) { end = v.length; }
    var text = change(v.slice(start, end).split("\n")).join("\n");
    var before = start > 1 && v.charAt(start - 2) !== "\n" ? "\n" : "";
    var after = end + 1 < v.length && v.charAt(end + 1) !== "\n" ? "\n" : "";
    // A caret (no selection) ends up after the change, ready to type on.
    var from = s === e ? before.length + text.length : before.length;
    replace(area, start, end, before + text + after, from, before.length + text.length);
  }

  // Prefix each line ("- ", "1. ", "> "); if every line has it already, remove it.
  function prefixed(pattern, prefix) {
    return function (area) {
      block(area, function (lines) {
        var filled = lines.filter(function (line) { return line.trim(); });
        var undo = filled.length > 0 && filled.every(function (line) { return pattern.test(line); });
        var number = 0;
        return lines.map(function (line) {
          if (undo) { return line.replace(pattern, ""); }
          if (!line.trim() && lines.length > 1) { return line; }
          number += 1;
          return prefix(number) + line;
        });
      });
    };
  }

  function code(area) {
    var chosen = area.value.slice(area.selectionStart, area.selectionEnd);
    if (chosen.indexOf("\n") === -1) { wrap("`", "code")(area); return; }
    block(area, function (lines) { return ["```"].concat(lines, ["```"]); });
  }

  var TOOLS = [
    { name: "Bold", label: "B", className: "tool-bold", key: "b", run: wrap("**", "bold text") },
    { name: "Italic", label: "I", className: "tool-italic", key: "i", run: wrap("_", "italic text") },
    { name: "Link", label: "Link", run: link },
    { name: "Bulleted list", label: "•", run: prefixed(/^\s*[-*+] /, function () { return "- "; }) },
    { name: "Numbered list", spoken: "1. Numbered list", label: "1.", run: prefixed(/^\s*\d+[.)] /, function (n) { return n + ". "; }) },
    { name: "Quote", label: "Quote", run: prefixed(/^\s*> ?/, function () { return "> "; }) },
    { name: "Code", label: "Code", run: code }
  ];
  var MAC = /Mac|iPhone|iPad/.test(navigator.platform || "");

  // role=toolbar is one stop for Tab; the arrow keys move between its buttons.
  function toolbar(area) {
    var bar = document.createElement("div");
    bar.className = "md-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Formatting");
    bar.setAttribute("aria-controls", area.id);
    var buttons = TOOLS.map(function (tool, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-tool" + (tool.className ? " " + tool.className : "");
      button.textContent = tool.label;
      // The visible symbol is part of the name (WCAG 2.5.3, label in name).
      button.setAttribute("aria-label", tool.spoken || tool.name);
      button.title = tool.name + (tool.key ? (MAC ? " (⌘" : " (Ctrl+") + tool.key.toUpperCase() + ")" : "");
      if (tool.key) { button.setAttribute("aria-keyshortcuts", (MAC ? "Meta+" : "Control+") + tool.key.toUpperCase()); }
      button.tabIndex = index === 0 ? 0 : -1;
      button.addEventListener("click", function () { tool.run(area); });
      bar.appendChild(button);
      return button;
    });
    bar.addEventListener("keydown", function (event) {
      var at = buttons.indexOf(document.activeElement);
      var to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
      if (at === -1 || to === undefined) { return; }
      event.preventDefault();
      to = (to + buttons.length) % buttons.length;
      buttons[at].tabIndex = -1;
      buttons[to].tabIndex = 0;
      buttons[to].focus();
    });
    area.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) { return; }
      var key = event.key.toLowerCase();
      TOOLS.forEach(function (tool) {
        if (tool.key === key) { event.preventDefault(); tool.run(area); }
      });
    });
    return bar;
  }

  // Rendered by the server (the sanitiser saving uses) after a pause in typing.
  function livePreview(area) {
    var form = area.form;
    var token = form && form.querySelector("input[name=csrf_token]");
    var box = document.createElement("section");
    box.className = "preview live-preview";
    box.id = area.id + "-preview";
    box.setAttribute("aria-labelledby", box.id + "-label");
    box.hidden = true;
    var label = document.createElement("p");
    label.className = "eyebrow";
    label.id = box.id + "-label";
    label.textContent = "Preview";
    var body = document.createElement("div");
    body.className = "prose";
    var note = document.createElement("p");
    note.className = "hint";
    note.hidden = true;
    box.appendChild(label);
    box.appendChild(body);
    box.appendChild(note);
    var timer = null, shown = null, busy = false;

    function say(text) { note.textContent = text; note.hidden = !text; }

    function render() {
      var text = area.value;
      if (text === shown) { return; }
      if (busy) { timer = setTimeout(render, 300); return; }
      if (!text.trim()) { shown = text; body.textContent = ""; box.hidden = true; return; }
      busy = true;
      fetch(area.dataset.previewUrl, {
        method: "POST",
        headers: token ? { "X-CSRFToken": token.value } : {},
        body: new URLSearchParams({ body: text }),
        credentials: "same-origin"
      }).then(function (response) {
        if (response.status === 429) { throw new Error("Preview paused: too many in a minute. It resumes as you type."); }
        if (!response.ok && response.status !== 413) { throw new Error("The preview is not available now; the Preview button still works."); }
        return response.json();
      }).then(function (data) {
        shown = text;
        if (data.error) { say(data.error); return; }
        // Sanitised on the server by the renderer that stores posts.
        body.innerHTML = data.html;
        say("");
        box.hidden = false;
      }).catch(function (error) {
        say(error.message);
        box.hidden = false;
      }).then(function () { busy = false; });
    }

    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(render, 400);
    });
    if (area.value.trim()) { render(); }
    return box;
  }

  // Starter tags become buttons that add (or take back) their tag.
  function starterTags(list) {
    var field = document.getElementById(list.dataset.tagsField);
    if (!field) { return; }
    function names() {
      return field.value.split(",").map(function (n) { return n.trim().toLowerCase(); })
        .filter(function (n) { return n; });
    }
    var buttons = [];
    function sync() {
      var chosen = names();
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(chosen.indexOf(button.dataset.tag) !== -1));
      });
    }
    list.querySelectorAll(".tag").forEach(function (span) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tag tag-button";
      button.dataset.tag = span.textContent.trim().toLowerCase();
      button.textContent = span.textContent;
      button.addEventListener("click", function () {
        var chosen = names();
        var at = chosen.indexOf(button.dataset.tag);
        if (at === -1) { chosen.push(button.dataset.tag); } else { chosen.splice(at, 1); }
        field.value = chosen.join(", ");
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
      span.replaceWith(button);
      buttons.push(button);
    });
    field.addEventListener("input", sync);
    sync();
  }

  document.querySelectorAll("textarea[data-preview-url]").forEach(function (area) {
    var field = area.closest(".field") || area;
    field.insertBefore(toolbar(area), area);
    field.parentNode.insertBefore(livePreview(area), field.nextSibling);
  });
  // The preview a Preview button reloaded the page with: the live one shows it.
  document.querySelectorAll(".preview:not(.live-preview)").forEach(function (old) {
    old.hidden = true;
  });
  document.querySelectorAll("[data-tags-field]").forEach(starterTags);
})();
