// Draws the Tier page's plotly figures from the JSON the server put beside each chart.
(function () {
  "use strict";
  document.querySelectorAll("[data-chart]").forEach(function (chart) {
    var data = document.getElementById(chart.dataset.chart);
    if (!data || !window.Plotly) { return; }
    var figure = JSON.parse(data.textContent);
    window.Plotly.newPlot(chart, figure.data, figure.layout, {responsive: true, displaylogo: false});
  });
})();
