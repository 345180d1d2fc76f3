// Progressive touches on the Mutual Action Plan pages; everything also works without them.
(function () {
  "use strict";

  // Growth fills targets at once, with the server's rule: previous x (1 + g), half up, in
  // whole deals or whole minor units (the form posts "apply_growth" without JavaScript).
  function grow(previous, percent) {
    return Math.floor((2 * previous * (100 + percent) + 100) / 200);
  }

  function shown(minor, exponent) {
    if (!exponent) { return String(minor); }
    var text = String(minor).padStart(exponent + 1, "0");
    return text.slice(0, -exponent) + "." + text.slice(-exponent);
  }

  document.querySelectorAll("form[data-target-grid]").forEach(function (form) {
    var select = form.querySelector("[data-growth]");
    var button = form.querySelector("[data-apply-growth]");
    if (!select || !button) { return; }
    button.addEventListener("click", function (event) {
      var percent = parseInt(select.value, 10);
      if ([5, 10, 15, 20, 25, 30].indexOf(percent) === -1) { return; } // the server explains
      event.preventDefault();
      form.querySelectorAll("input[data-previous]:not([disabled])").forEach(function (input) {
        var exponent = input.dataset.exponent ? parseInt(input.dataset.exponent, 10) : 0;
        input.value = shown(grow(parseInt(input.dataset.previous, 10), percent), exponent);
      });
    });
  });

  // A task's custom date (and time) inputs only while "Custom date" is chosen beside them.
  document.querySelectorAll("[data-custom-of]").forEach(function (box) {
    var select = document.getElementById(box.dataset.customOf);
    if (!select) { return; }
    function sync() { box.hidden = select.value !== "custom"; }
    select.addEventListener("change", sync);
    sync();
  });

  var chart = document.getElementById("actual-vs-target");
  var data = document.getElementById("actual-vs-target-data");
  if (chart && data && window.Plotly) {
    var figure = JSON.parse(data.textContent);
    window.Plotly.newPlot(chart, figure.data, figure.layout, {responsive: true, displaylogo: false});
  }
})();
