// Similar questions while a member types a title on the ask form.
// Progressive: without this script the preview step lists them instead.
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form) { return; }
  var title = form.querySelector("input[name=title]");
  var token = form.querySelector("input[name=csrf_token]");
  var box = document.getElementById("similar-questions");
  if (!title || !box) { return; }
  var timer = null;
  var asked = "";

  function show(items) {
    box.textContent = "";
    if (!items.length) { box.hidden = true; return; }
    var heading = document.createElement("h2");
    heading.textContent = "Similar questions already asked";
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      li.appendChild(link);
      var count = document.createElement("span");
      count.className = "muted";
      count.textContent = " · " + item.answers + (item.answers === 1 ? " answer" : " answers") +
        (item.accepted ? ", accepted" : "");
      li.appendChild(count);
      list.appendChild(li);
    });
    box.appendChild(heading);
    box.appendChild(list);
    box.hidden = false;
  }

  function look() {
    var text = title.value.trim();
    if (text === asked) { return; }
    asked = text;
    if (text.length < 4) { show([]); return; }
    var body = new URLSearchParams({ title: text });
    if (form.dataset.exclude) { body.set("exclude", form.dataset.exclude); }
    fetch(form.dataset.similarUrl, {
      method: "POST",
      headers: token ? { "X-CSRFToken": token.value } : {},
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (items) {
      if (text === asked) { show(items); }
    }).catch(function () { /* suggestions are a help, never a blocker */ });
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(look, 300);
  });
})();
