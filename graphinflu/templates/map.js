/* graphinflu map: legend, search, filters, neighbourhood highlight and a details panel over vis-network.
 * Every text from the data is rendered with textContent (never innerHTML); the data arrives as JSON
 * in a JSON script block (type application/json). Exposes window.graphinflu for tests and scripting. */
(function () {
  "use strict";
  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById("gi-data").textContent);
  var NIL = "\u2014";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fmt(v, kind) {
    if (v === null || v === undefined || (typeof v === "number" && !isFinite(v))) return NIL;
    if (typeof v !== "number") return String(v);
    if (kind === "int") return Math.round(v).toLocaleString("en-US");
    if (kind === "pct") return (v * 100).toFixed(2) + " %";
    if (v !== 0 && Math.abs(v) < 0.001) return v.toExponential(3);
    return Number(v.toPrecision(4)).toString();
  }

  document.title = DATA.title;
  document.getElementById("gi-title").textContent = DATA.title;
  if (DATA.back) {
    var back = document.getElementById("gi-back");
    back.textContent = DATA.back.text;
    back.setAttribute("href", DATA.back.href);  // a relative file name written by graphinflu
    back.hidden = false;
  }
  document.getElementById("gi-size-note").textContent = DATA.sizeNote;

  var N = DATA.nodes.length;
  var ids = DATA.nodes.map(function (n) { return n.id; });
  var indexOf = new Map();
  ids.forEach(function (id, i) { indexOf.set(id, i); });
  var A = DATA.attrs;  // per-node arrays aligned with DATA.nodes: handle, niche, tier, eng, auth
  var baseColor = DATA.nodes.map(function (n) { return n.color; });
  var E = DATA.edges, M = E.from.length, edgeList0 = new Array(M), baseEdgeColor = new Array(M), edgeIds = new Array(M);
  for (var q = 0; q < M; q++) {
    var kd = E.kinds[E.kind[q]];
    edgeIds[q] = "e" + q; baseEdgeColor[q] = kd.color;
    edgeList0[q] = { id: edgeIds[q], from: ids[E.from[q]], to: ids[E.to[q]], width: E.width[q], color: kd.color };
    if (kd.arrows) edgeList0[q].arrows = "to";
  }

  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(edgeList0);
  var container = document.getElementById("gi-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  var api = window.graphinflu = {
    network: network, nodes: nodes, edges: edges, data: DATA,
    drawnAt: null, drawCount: 0, t0: T0, tNet: performance.now(),
    select: selectIndex, search: search, applyFilters: applyFilters, visibleNodeIds: visibleNodeIds
  };
  network.on("afterDrawing", function () {
    api.drawCount += 1;
    if (api.drawnAt === null) { api.drawnAt = performance.now(); document.body.setAttribute("data-drawn", "1"); }
  });

  // ------------------------------------------------------------------ legend + filters
  var hiddenNiches = new Set(), hiddenTiers = new Set();
  // one legend line with a filter checkbox: unchecking adds `key` to `hidden` and filters again
  function filterItem(list, attr, key, hidden, mark, text, count) {
    var li = el("li"), lab = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.setAttribute(attr, String(key));
    box.addEventListener("change", function () {
      if (box.checked) hidden.delete(key); else hidden.add(key);
      applyFilters();
    });
    lab.appendChild(box); lab.appendChild(mark); lab.appendChild(el("span", text, "gi-text"));
    li.appendChild(lab); li.appendChild(el("span", fmt(count, "int"), "gi-count"));
    li.title = text;  // plain text tooltip (an attribute, not HTML)
    list.appendChild(li);
    return box;
  }
  var nicheList = document.getElementById("gi-niches");
  var nicheBoxes = DATA.niches.map(function (nc) {
    var sw = el("span", null, "gi-swatch"); sw.style.background = nc.color;
    return filterItem(nicheList, "data-niche", nc.key, hiddenNiches, sw, nc.label, nc.count);
  });
  function setAllNiches(on) {
    nicheBoxes.forEach(function (b) { b.checked = on; });
    hiddenNiches.clear();
    if (!on) DATA.niches.forEach(function (n) { hiddenNiches.add(n.key); });
    applyFilters();
  }
  document.getElementById("gi-niche-all").addEventListener("click", function () { setAllNiches(true); });
  document.getElementById("gi-niche-none").addEventListener("click", function () { setAllNiches(false); });

  var tierList = document.getElementById("gi-tiers");
  if (!DATA.tiers.length) { tierList.hidden = true; document.getElementById("gi-tiers-h").hidden = true; }
  DATA.tiers.forEach(function (t) {
    filterItem(tierList, "data-tier", t.key, hiddenTiers, el("span", t.mark, "gi-mark"), t.name, t.count);
  });
  var edgeList = document.getElementById("gi-edge-legend");
  DATA.edgeLegend.forEach(function (e) {
    var li = el("li"), line = el("span", null, "gi-line");
    line.style.borderTopColor = e.color;
    li.appendChild(line); li.appendChild(el("span", e.label, "gi-text"));
    edgeList.appendChild(li);
  });

  var minEng = document.getElementById("gi-min-eng"), minAuth = document.getElementById("gi-min-auth");
  if (!DATA.hasEngagement) minEng.disabled = true;
  if (!DATA.hasAuthority) minAuth.disabled = true;
  minEng.addEventListener("input", applyFilters);
  minAuth.addEventListener("input", applyFilters);
  document.getElementById("gi-reset").addEventListener("click", function () {
    minEng.value = ""; minAuth.value = ""; hiddenTiers.clear();
    document.querySelectorAll("#gi-tiers input").forEach(function (b) { b.checked = true; });
    setAllNiches(true);
  });

  var hiddenNow = new Uint8Array(N);
  function passes(i, me, ma) {
    if (hiddenNiches.has(A.niche[i])) return false;
    if (A.tier && hiddenTiers.has(A.tier[i])) return false;
    if (me !== null) { var e = A.eng ? A.eng[i] : null; if (e === null || e === undefined || e < me) return false; }
    if (ma !== null) { var a = A.auth ? A.auth[i] : null; if (a === null || a === undefined || a < ma) return false; }
    return true;
  }
  function numOrNull(input) {
    if (input.disabled || input.value.trim() === "") return null;
    var v = Number(input.value);
    return isFinite(v) ? v : null;
  }
  function applyFilters() {
    var me = numOrNull(minEng), ma = numOrNull(minAuth), changes = [], shown = 0;
    for (var i = 0; i < N; i++) {
      var hide = passes(i, me, ma) ? 0 : 1;
      if (!hide) shown++;
      if (hide !== hiddenNow[i]) { hiddenNow[i] = hide; changes.push({ id: ids[i], hidden: !!hide }); }
    }
    if (changes.length) nodes.update(changes);
    updateStatus(shown);
    return shown;
  }
  function visibleNodeIds() { return ids.filter(function (_, i) { return !hiddenNow[i]; }); }
  var statusEl = document.getElementById("gi-status");
  function updateStatus(shown) {
    var what = DATA.mode === "niches" ? "niches" : "creators";
    statusEl.textContent = "showing " + fmt(shown, "int") + " of " + fmt(N, "int") + " " + what +
      ", " + fmt(M, "int") + " links" + (DATA.note ? " \u00b7 " + DATA.note : "");
  }
  updateStatus(N);

  // ------------------------------------------------------------------ highlight + details panel
  var DIM = "rgba(200,200,200,0.35)", DIM_EDGE = "rgba(200,200,200,0.15)", highlighted = false;
  function highlight(i) {
    var keep = new Set(network.getConnectedNodes(ids[i]));
    keep.add(ids[i]);
    var upd = [];
    for (var k = 0; k < N; k++) {
      var c = keep.has(ids[k]) ? baseColor[k] : DIM;
      upd.push({ id: ids[k], color: c });
    }
    nodes.update(upd);
    var inc = new Set(network.getConnectedEdges(ids[i])), eu = [];
    for (var j = 0; j < M; j++) eu.push({ id: edgeIds[j], color: inc.has(edgeIds[j]) ? baseEdgeColor[j] : DIM_EDGE });
    edges.update(eu);
    highlighted = true;
  }
  function unhighlight() {
    if (!highlighted) return;
    nodes.update(ids.map(function (id, k) { return { id: id, color: baseColor[k] }; }));
    edges.update(edgeIds.map(function (id, j) { return { id: id, color: baseEdgeColor[j] }; }));
    highlighted = false;
  }

  var panelTitle = document.getElementById("gi-panel-title"), hint = document.getElementById("gi-panel-hint");
  var figBody = document.querySelector("#gi-figures tbody"), extra = document.getElementById("gi-extra");
  function linkButton(text, onClick) {
    var b = el("button", text, "gi-link"); b.type = "button"; b.addEventListener("click", onClick); return b;
  }
  function showDetails(i) {
    panelTitle.textContent = A.handle[i];
    hint.hidden = true;
    clear(figBody); clear(extra);
    var row = DATA.figures.rows[i];
    DATA.figures.columns.forEach(function (col, c) {
      var tr = el("tr");
      tr.appendChild(el("th", col.label));
      tr.appendChild(el("td", fmt(row[c], col.format)));
      figBody.appendChild(tr);
    });
    var ov = DATA.overlaps ? DATA.overlaps[i] : null;
    if (DATA.mode === "creators") {
      extra.appendChild(el("h3", "Top audience overlaps (" + DATA.metricName + ")"));
      if (!ov || !ov.length) extra.appendChild(el("p", "none above zero among the creators on this map", "gi-note"));
      else {
        var ul = el("ul");
        ov.forEach(function (o) {
          var li = el("li");
          li.appendChild(linkButton(A.handle[o[0]], function () { selectIndex(o[0]); }));
          li.appendChild(el("span", " " + fmt(o[1]) + (o[2] === null ? "" : " \u00b7 " + fmt(o[2], "int") + " shared")));
          ul.appendChild(li);
        });
        extra.appendChild(ul);
      }
    } else {
      var nc = DATA.niches[i];
      if (nc.href) {
        var a = el("a", "Open the map of this niche");
        a.setAttribute("href", nc.href);  // a relative file name written by graphinflu
        extra.appendChild(a);
      }
      extra.appendChild(el("h3", "Top creators by authority"));
      var ul2 = el("ul");
      (DATA.topCreators[i] || []).forEach(function (h) { ul2.appendChild(el("li", h)); });
      extra.appendChild(ul2);
      if (ov && ov.length) {
        extra.appendChild(el("h3", "Most linked niches"));
        var ul3 = el("ul");
        ov.forEach(function (o) {
          var li = el("li");
          li.appendChild(linkButton(A.handle[o[0]], function () { selectIndex(o[0]); }));
          li.appendChild(el("span", " " + fmt(o[1], "int") + " links"));
          ul3.appendChild(li);
        });
        extra.appendChild(ul3);
      }
    }
  }
  function clearDetails() {
    panelTitle.textContent = "Details"; hint.hidden = false; clear(figBody); clear(extra);
  }
  function selectIndex(i) {
    if (hiddenNow[i]) return false;
    network.selectNodes([ids[i]]);
    network.focus(ids[i], { scale: Math.max(network.getScale(), 0.8), animation: false });
    highlight(i); showDetails(i);
    return true;
  }
  network.on("click", function (p) {
    if (p.nodes.length) { var i = indexOf.get(p.nodes[0]); highlight(i); showDetails(i); }
    else { unhighlight(); clearDetails(); }
  });
  network.on("doubleClick", function (p) {
    if (DATA.mode === "niches" && p.nodes.length) {
      var nc = DATA.niches[indexOf.get(p.nodes[0])];
      if (nc.href) window.location.href = nc.href;
    }
  });

  // ------------------------------------------------------------------ plain-text tooltip
  var tip = document.getElementById("gi-tooltip");
  network.on("hoverNode", function (p) {
    var i = indexOf.get(p.node), lines = [A.handle[i]];
    DATA.figures.columns.forEach(function (col, c) {
      if (col.tooltip) lines.push(col.label + ": " + fmt(DATA.figures.rows[i][c], col.format));
    });
    tip.textContent = lines.join("\n");
    var ev = p.event && p.event.center ? p.event.center : { x: 0, y: 0 };
    tip.style.left = (ev.x + 12) + "px"; tip.style.top = (ev.y + 12) + "px";
    tip.hidden = false;
  });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });

  // ------------------------------------------------------------------ search
  var matchList = document.getElementById("gi-matches");
  var S = DATA.search || null;  // niches mode: every creator's handle and niche index
  function search(q) {
    q = String(q || "").trim().toLowerCase();
    clear(matchList);
    if (!q) return [];
    var hits = [];
    if (S) {
      for (var k = 0; k < S.handle.length && hits.length < 50; k++)
        if (String(S.handle[k]).toLowerCase().indexOf(q) >= 0) hits.push({ text: S.handle[k] + " \u2192 " + A.handle[S.niche[k]], i: S.niche[k], exact: String(S.handle[k]).toLowerCase() === q });
    } else {
      for (var j = 0; j < N && hits.length < 50; j++) {
        var h = String(A.handle[j]).toLowerCase();
        if (h.indexOf(q) >= 0 || String(ids[j]).toLowerCase() === q) hits.push({ text: A.handle[j], i: j, exact: h === q || String(ids[j]).toLowerCase() === q });
      }
    }
    hits.sort(function (a, b) { return (b.exact ? 1 : 0) - (a.exact ? 1 : 0); });
    if (!hits.length) { matchList.appendChild(el("li", "no creator matches", "gi-note")); return []; }
    hits.forEach(function (h) {
      var li = el("li");
      li.appendChild(linkButton(h.text, function () { selectIndex(h.i); }));
      if (hiddenNow[h.i]) li.appendChild(el("span", " (hidden by a filter)", "gi-note"));
      matchList.appendChild(li);
    });
    selectIndex(hits[0].i);
    return hits.map(function (h) { return ids[h.i]; });
  }
  document.getElementById("gi-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(document.getElementById("gi-search").value);
  });
})();
