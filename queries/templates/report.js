(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var cards = document.querySelectorAll("article.quote[data-i]");
  var docSelect = document.getElementById("filter-doc");
  var studySelect = document.getElementById("filter-study");
  var facetSelect = document.getElementById("filter-facet");
  var counter = document.getElementById("result-count");
  function apply() {
    var doc = docSelect.value, study = studySelect.value, facet = facetSelect.value, shown = 0;
    cards.forEach(function (card) {
      var row = data[Number(card.getAttribute("data-i"))];
      var keep = (!doc || row.doc === doc) && (!study || row.study === study) &&
        (!facet || row.facets.indexOf(facet) >= 0);
      card.hidden = !keep;
      if (keep) { shown += 1; }
    });
    document.querySelectorAll("section.theme").forEach(function (section) {
      var none = section.querySelector("p.none");
      if (!none || !section.querySelector("article.quote")) { return; }
      none.hidden = section.querySelector("article.quote:not([hidden])") !== null;
    });
    counter.textContent = shown + " of " + cards.length + " quotations shown";
  }
  [docSelect, studySelect, facetSelect].forEach(function (select) { select.addEventListener("change", apply); });
  function openTarget() {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.tagName === "DETAILS") { target.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
