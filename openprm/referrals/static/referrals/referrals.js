// Progressive touches on the referral pages; every page also works without them.
(function () {
  "use strict";

  // "New deal", step 1: suggestions from the customer directory while the name is typed.
  // Without JavaScript the "Search" button asks the server for the same list.
  document.querySelectorAll("[data-customer-search]").forEach(function (form) {
    var results = document.getElementById(form.dataset.customerSearch);
    var url = form.dataset.suggestionsUrl;
    var timer = null;
    if (!results || !url) { return; }

    function refresh() {
      var query = new URLSearchParams();
      form.querySelectorAll("[data-suggest]").forEach(function (input) {
        query.set(input.name, input.value);
      });
      fetch(url + "?" + query.toString(), { headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { results.innerHTML = html; } });
    }

    form.querySelectorAll("[data-suggest]").forEach(function (input) {
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(refresh, 250);
      });
    });
  });

  // "New deal", step 4: a recent contact fills the first empty team row (without JavaScript
  // the button asks the server to do the same).
  var FIELDS = [["first_name", "firstName"], ["last_name", "lastName"], ["phone", "phone"],
    ["email", "email"]];
  document.querySelectorAll("[data-recent-contact]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var rows = document.querySelectorAll("[data-team-row]");
      for (var i = 0; i < rows.length; i += 1) {
        var row = rows[i];
        var inputs = row.querySelectorAll("[data-team-field]");
        var empty = Array.prototype.every.call(inputs, function (input) { return !input.value; });
        if (inputs.length && empty) {
          event.preventDefault();
          FIELDS.forEach(function (field) {
            var input = row.querySelector("[data-team-field=" + field[0] + "]");
            if (input) { input.value = button.dataset[field[1]] || ""; }
          });
          inputs[0].focus();
          return;
        }
      }
    });
  });
})();
