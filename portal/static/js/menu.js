// The header menu (templates/_nav.html) is a <details>: a "Menu" button on
// phones, and on wider screens shown open by CSS through ::details-content.
// Browsers without ::details-content (Firefox before 143, Safari before 18.4)
// get it opened here on wide screens; without this script they show the button.
(function () {
  "use strict";
  var menu = document.querySelector(".site-menu");
  if (!menu || !window.matchMedia) { return; }
  if (window.CSS && CSS.supports && CSS.supports("selector(::details-content)")) { return; }
  var wide = window.matchMedia("(min-width: 761px)");
  function fit() { menu.open = wide.matches; }
  if (wide.addEventListener) { wide.addEventListener("change", fit); }
  fit();
})();
