/* Draws the plotly figures the server put in <script type="application/json"> elements.
 *
 * Each chart is a <div class="chart" data-figure="ID"> naming the JSON element with the figure
 * (built by programs/charts.py). Clicking a point whose customdata starts with a URL opens that
 * URL (a child's dashboard, or a leaf organisation's ledger). No inline script, no CDN: plotly.js
 * comes from the app's own static files.
 *
 * Load this file BEFORE plotly.min.js (both `defer`): the CSP allows no inline <style>, and
 * plotly.js writes its stylesheet rules into a <style id="plotly.js-style-global"> it creates
 * at load unless an element with that id exists. Naming the app's own stylesheet <link> so makes
 * plotly insert its rules there through the CSSOM (which the CSP permits). Likewise the map
 * library bundled in plotly.js injects its CSS at load unless its element id exists; no chart
 * here draws a map, so an empty placeholder is enough. The browser test fails on any CSP
 * violation, should a new plotly.js change these ids. */
(function () {
  "use strict";

  var PLOTLY_STYLE_ID = "plotly.js-style-global";
  var MAPLIBRE_STYLE_ID = "9f215cf04c5486422605d13261cb87401f4e7763b6296af81e98efbc0130da53";

  function prepareStyles() {
    if (!document.getElementById(PLOTLY_STYLE_ID)) {
      var own = document.querySelector('link[rel="stylesheet"]:not([id])');
      if (own) {
        own.id = PLOTLY_STYLE_ID;
      }
    }
    if (!document.getElementById(MAPLIBRE_STYLE_ID)) {
      var placeholder = document.createElement("meta");
      placeholder.id = MAPLIBRE_STYLE_ID;
      document.head.appendChild(placeholder);
    }
  }

  prepareStyles();

  var CONFIG = {
    displaylogo: false,
    responsive: true,
    displayModeBar: false,
  };

  function figureOf(id) {
    var element = document.getElementById(id);
    if (!element) {
      return null;
    }
    return JSON.parse(element.textContent);
  }

  function urlOf(point) {
    var data = point && point.customdata;
    while (Array.isArray(data)) {
      data = data[0];
    }
    return typeof data === "string" && data.charAt(0) === "/" ? data : null;
  }

  function draw(container) {
    var figure = figureOf(container.dataset.figure);
    if (!figure) {
      return;
    }
    window.Plotly.newPlot(container, figure.data || [], figure.layout || {}, CONFIG).then(
      function (plot) {
        plot.on("plotly_click", function (event) {
          var url = event && event.points && urlOf(event.points[0]);
          if (url) {
            window.location.assign(url);
          }
        });
        container.dataset.drawn = "true";
      }
    );
  }

  function start() {
    if (!window.Plotly) {
      return;
    }
    document.querySelectorAll(".chart[data-figure]").forEach(draw);
  }

  // plotly.min.js runs after this file (both deferred): draw once it has.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    window.addEventListener("load", start);
  }
})();
