// The chain graph, interactive without a library (served from static/, allowed by the CSP):
// selecting a link lights up everything upstream and downstream of it and dims the rest;
// the status buttons dim the links whose weakest item is not of that status. Without this
// script the graph still works: each box links to its row in the table.
(function () {
  "use strict";

  function reach(start, next) {
    var seen = {}, todo = [start];
    while (todo.length) {
      var code = todo.pop();
      (next[code] || []).forEach(function (other) {
        if (!seen[other]) { seen[other] = true; todo.push(other); }
      });
    }
    return seen;
  }

  function setUp(figure) {
    var svg = figure.querySelector("svg.chain-graph");
    if (!svg) { return; }
    var nodes = Array.prototype.slice.call(svg.querySelectorAll(".node"));
    var edges = Array.prototype.slice.call(svg.querySelectorAll(".edge"));
    var up = {}, down = {};
    edges.forEach(function (edge) {
      var s = edge.getAttribute("data-source"), t = edge.getAttribute("data-target");
      (down[s] = down[s] || []).push(t);
      (up[t] = up[t] || []).push(s);
    });
    var note = figure.querySelector("[data-graph-note]");
    var selected = null;

    function clear() {
      selected = null;
      nodes.concat(edges).forEach(function (el) {
        el.classList.remove("dim", "on-path", "selected");
      });
      if (note) { note.textContent = ""; }
    }

    function select(code) {
      clear();
      selected = code;
      var path = Object.assign({}, reach(code, up), reach(code, down));
      path[code] = true;
      nodes.forEach(function (node) {
        var c = node.getAttribute("data-link");
        node.classList.toggle("selected", c === code);
        node.classList.toggle("dim", !path[c]);
      });
      edges.forEach(function (edge) {
        var on = path[edge.getAttribute("data-source")] && path[edge.getAttribute("data-target")];
        edge.classList.toggle("on-path", !!on);
        edge.classList.toggle("dim", !on);
      });
      if (note) {
        note.textContent = (note.getAttribute("data-template") || "")
          .replace("{link}", code)
          .replace("{up}", Object.keys(reach(code, up)).length)
          .replace("{down}", Object.keys(reach(code, down)).length);
      }
    }

    nodes.forEach(function (node) {
      node.addEventListener("click", function (event) {
        var code = node.getAttribute("data-link");
        if (selected === code) { clear(); return; }  // a second click follows the link
        event.preventDefault();
        select(code);
      });
    });
    figure.querySelectorAll("[data-graph-filter]").forEach(function (button) {
      button.addEventListener("click", function () {
        clear();
        var wanted = button.getAttribute("data-graph-filter");
        if (!wanted) { return; }
        nodes.forEach(function (node) {
          node.classList.toggle("dim", node.getAttribute("data-status") !== wanted);
        });
        edges.forEach(function (edge) { edge.classList.add("dim"); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chain-graph]").forEach(setUp);
  });
})();
