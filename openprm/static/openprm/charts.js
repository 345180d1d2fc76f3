// Draws the plotly figures of a page (the Tier page, the dashboard) from the JSON the server
// put beside each chart: no inline script under the Content-Security-Policy.
(function () {
  "use strict";
  document.querySelectorAll("[data-chart]").forEach(function (chart) {
    var data = document.getElementById(chart.dataset.chart);
    if (!data || !window.Plotly) { return; }
    var figure = JSON.parse(data.textContent);
    window.Plotly.newPlot(chart, figure.data, figure.layout, {responsive: true, displaylogo: false});
  });
})();
