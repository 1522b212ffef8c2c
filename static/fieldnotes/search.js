// Filters start folded (small screens see results first); wide screens unfold them.
(function () {
  var filters = document.querySelector(".facets details");
  if (filters && window.matchMedia("(min-width: 801px)").matches) filters.open = true;
})();
