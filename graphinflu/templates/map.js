/* graphinflu map: legend, search, filters, names on the canvas, neighbourhood highlight and a details
 * panel over vis-network. Every text from the data is rendered with textContent (never innerHTML);
 * the data arrives as JSON in a JSON script block (type application/json). Exposes
 * window.graphinflu for tests and scripting. */
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
  function known(v) { return v !== null && v !== undefined && isFinite(v); }

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
  var A = DATA.attrs;  // per-node arrays aligned with DATA.nodes: handle, niche, tier, eng, auth, authPct, score, ...
  var E = DATA.edges, M = E.from.length, edgeList0 = new Array(M), edgeIds = new Array(M);
  for (var q = 0; q < M; q++) {
    var kd = E.kinds[E.kind[q]];
    edgeIds[q] = "e" + q;
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
    select: selectIndex, search: search, applyFilters: applyFilters, visibleNodeIds: visibleNodeIds,
    fit: fitVisible, shownLinks: 0
  };

  // one redraw at the next frame, however many changes asked for one
  function requestRedraw() { network.body.emitter.emit("_requestRedraw"); }

  // ------------------------------------------------------------------ view: fit what is shown
  var hiddenNow = new Uint8Array(N);
  var X = new Float64Array(N), Y = new Float64Array(N), R = new Float64Array(N);
  DATA.nodes.forEach(function (n, i) { X[i] = n.x || 0; Y[i] = n.y || 0; R[i] = n.size || 10; });
  function readPositions() {
    var p = network.getPositions();
    for (var i = 0; i < N; i++) { var o = p[ids[i]]; if (o) { X[i] = o.x; Y[i] = o.y; } }
  }
  // the bounding box of the shown nodes (with their radius) fills the canvas with a margin for names
  function fitVisible() {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (var i = 0; i < N; i++) {
      if (hiddenNow[i]) continue;
      x0 = Math.min(x0, X[i] - R[i]); x1 = Math.max(x1, X[i] + R[i]);
      y0 = Math.min(y0, Y[i] - R[i]); y1 = Math.max(y1, Y[i] + R[i]);
    }
    if (!isFinite(x0)) return;
    var w = container.clientWidth, h = container.clientHeight, pad = 60;
    var scale = Math.min((w - 2 * pad) / Math.max(x1 - x0, 1), (h - 2 * pad) / Math.max(y1 - y0, 1), 1.5);
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: Math.max(scale, 0.02), animation: false });
  }

  // ------------------------------------------------------------------ legend + filters
  var hiddenNiches = new Set(), hiddenTiers = new Set();
  // one legend line with a filter checkbox: unchecking adds `key` to `hidden` and filters again
  function filterItem(list, attr, key, hidden, mark, text, count, full) {
    var li = el("li"), lab = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.setAttribute(attr, String(key));
    box.addEventListener("change", function () {
      if (box.checked) hidden.delete(key); else hidden.add(key);
      applyFilters();
    });
    lab.appendChild(box); lab.appendChild(mark); lab.appendChild(el("span", text, "gi-text"));
    li.appendChild(lab); li.appendChild(el("span", fmt(count, "int"), "gi-count"));
    li.title = full || text;  // the full text on hover (an attribute, not HTML)
    list.appendChild(li);
    return box;
  }
  var nicheList = document.getElementById("gi-niches");
  var nicheBoxes = DATA.niches.map(function (nc) {
    var sw = el("span", null, "gi-swatch"); sw.style.background = nc.color;
    if (nc.dashes) sw.className += nc.dashes[0] > 3 ? " gi-dashed" : " gi-dotted";
    var full = nc.label + (nc.id !== null && nc.id !== undefined && nc.label.indexOf("niche " + nc.id) !== 0 ? " (niche " + nc.id + ")" : "");
    var box = filterItem(nicheList, "data-niche", nc.key, hiddenNiches, sw, nc.label, nc.count, full);
    if (nc.id !== null && nc.id !== undefined) {
      box.setAttribute("data-community", String(nc.id));
      // the table's niche id, as in communities.csv and the report (unless the label already says it)
      if (nc.label !== "niche " + nc.id) box.parentNode.appendChild(el("span", "#" + nc.id, "gi-id"));
    }
    return box;
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
    var li = el("li"), line = el("span", null, e.color ? "gi-line" : "gi-mark");
    if (e.color) line.style.borderTopColor = e.color;
    li.appendChild(line); li.appendChild(el("span", e.label, e.color ? "gi-text" : "gi-text gi-note"));
    edgeList.appendChild(li);
  });

  // number filters in a strategist's units: [input id, has data, why not, value of creator i]
  var NUMBER_FILTERS = [
    ["gi-min-eng", DATA.hasEngagement, "No engagement rates on this map: give --posts (likes and comments per post).",
      function (i) { return known(A.eng && A.eng[i]) ? A.eng[i] * 100 : null; }],
    ["gi-min-auth", DATA.hasAuthority, "No PageRank in the account table, so there is no authority to rank.",
      function (i) { return A.authPct ? A.authPct[i] : null; }],
    ["gi-min-score", DATA.hasScore, "No targets score on this map: draw the account table of graphinflu analyze, which ranks the targets.",
      function (i) { return A.scorePct ? A.scorePct[i] : null; }],
    ["gi-min-aff", DATA.hasAffinity, "No brand affinity on this map: run graphinflu analyze with a brand target.",
      function (i) { return known(A.aff && A.aff[i]) ? A.aff[i] * 100 : null; }]
  ].map(function (f) {
    var input = document.getElementById(f[0]);
    if (!input) return null;
    if (DATA.mode === "niches") {  // the overview filters niches only; a niche's map has every filter
      input.hidden = true;
      var lab = document.querySelector("label[for='" + f[0] + "']");
      if (lab) lab.hidden = true;
      return null;
    }
    if (!f[1]) {
      input.disabled = true; input.title = f[2];
      var why = document.getElementById(f[0] + "-why");
      if (why) { why.textContent = f[2]; why.hidden = false; }
    }
    input.addEventListener("input", applyFilters);
    return { input: input, value: f[3] };
  }).filter(Boolean);
  function resetFilters() {
    NUMBER_FILTERS.forEach(function (f) { f.input.value = ""; });
    hiddenTiers.clear();
    document.querySelectorAll("#gi-tiers input").forEach(function (b) { b.checked = true; });
    setAllNiches(true);
  }
  document.getElementById("gi-reset").addEventListener("click", resetFilters);
  document.getElementById("gi-empty-reset").addEventListener("click", resetFilters);

  function numOrNull(input) {
    if (input.disabled || input.value.trim() === "") return null;
    var v = Number(input.value);
    return isFinite(v) ? v : null;
  }
  function passes(i, mins) {
    if (hiddenNiches.has(A.niche[i])) return false;
    if (A.tier && hiddenTiers.has(A.tier[i])) return false;
    for (var f = 0; f < mins.length; f++) {
      if (mins[f] === null) continue;
      var v = NUMBER_FILTERS[f].value(i);
      if (v === null || v === undefined || !(v >= mins[f] - 1e-9)) return false;
    }
    return true;
  }
  var emptyBox = document.getElementById("gi-empty");
  function applyFilters() {
    var mins = NUMBER_FILTERS.map(function (f) { return numOrNull(f.input); }), changes = [], shown = 0;
    for (var i = 0; i < N; i++) {
      var hide = passes(i, mins) ? 0 : 1;
      if (!hide) shown++;
      if (hide !== hiddenNow[i]) { hiddenNow[i] = hide; changes.push({ id: ids[i], hidden: !!hide }); }
    }
    var links = 0;
    for (var j = 0; j < M; j++) if (!hiddenNow[E.from[j]] && !hiddenNow[E.to[j]]) links++;
    api.shownLinks = links;
    if (changes.length) {
      // straight on vis's node objects, then one rebuild of the visible lists: a DataSet update of
      // thousands of nodes took seconds on a 5,000-creator map
      changes.forEach(function (c) { var nd = network.body.nodes[c.id]; if (nd) nd.options.hidden = c.hidden; });
      network._updateVisibleIndices();
      requestRedraw();
      if (selected !== null && hiddenNow[selected]) { network.unselectAll(); unhighlight(); clearDetails(); }
      fitVisible();
    }
    emptyBox.hidden = shown > 0 || N === 0;
    updateStatus(shown, links);
    updateTopList();
    return shown;
  }

  // ------------------------------------------------------------------ top creators in view + CSV
  var topList = document.getElementById("gi-top-creators"), topSection = document.getElementById("gi-top-list");
  var SCORE = A.score || [], PR = A.authPct || [];
  function rankValue(i) { return [known(SCORE[i]) ? SCORE[i] : -1, known(PR[i]) ? PR[i] : -1]; }
  function shownRanked() {
    var out = [];
    for (var i = 0; i < N; i++) if (!hiddenNow[i]) out.push(i);
    out.sort(function (a, b) {
      var x = rankValue(a), y = rankValue(b);
      return (y[0] - x[0]) || (y[1] - x[1]) || (a - b);
    });
    return out;
  }
  function updateTopList() {
    if (DATA.mode !== "creators") { topSection.hidden = true; return; }
    clear(topList);
    shownRanked().slice(0, 10).forEach(function (i) {
      var li = el("li");
      li.appendChild(linkButton(A.handle[i], function () { selectIndex(i); }));
      if (known(SCORE[i])) li.appendChild(el("span", " " + SCORE[i].toFixed(2), "gi-note"));
      topList.appendChild(li);
    });
  }
  document.getElementById("gi-top-how").textContent = DATA.hasScore ?
    "The 10 best by targets score among the creators the filters show." :
    "The 10 of highest PageRank among the creators the filters show.";
  // id, handle, then the side panel's figures (its first column is the id)
  var CSV_COLUMNS = ["id", "handle"].concat(DATA.figures.columns.slice(1).map(function (c) {
    return c.format === "pct" ? c.label + " (fraction)" : c.label;
  }));
  function csvField(v) {
    var t = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(t)) t = "'" + t;  // a spreadsheet must not run a cell as a formula
    return '"' + t.replace(/"/g, '""') + '"';
  }
  function csvOfShown() {
    var lines = [CSV_COLUMNS.map(csvField).join(",")];
    shownRanked().forEach(function (i) {
      lines.push([ids[i], A.handle[i]].concat(DATA.figures.rows[i].slice(1)).map(csvField).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }
  api.csvOfShown = csvOfShown;
  document.getElementById("gi-export").addEventListener("click", function () {
    // a data: URL made on the click, saved by the browser (nothing is sent anywhere)
    this.setAttribute("href", "data:text/csv;charset=utf-8," + encodeURIComponent(csvOfShown()));
  });
  function visibleNodeIds() { return ids.filter(function (_, i) { return !hiddenNow[i]; }); }
  var statusEl = document.getElementById("gi-status");
  function updateStatus(shown, links) {
    var what = DATA.mode === "niches" ? "niches" : "creators";
    statusEl.textContent = "showing " + fmt(shown, "int") + " of " + fmt(N, "int") + " " + what +
      ", " + fmt(links, "int") + " of " + fmt(M, "int") + " links" + (DATA.note ? " \u00b7 " + DATA.note : "");
  }

  // ------------------------------------------------------------------ names drawn on the canvas
  var labelLayer = document.getElementById("gi-labels");
  var measure = document.createElement("canvas").getContext("2d");
  var nicheLabels = [], creatorLabels = [];
  if (DATA.mode === "creators") {
    var members = new Map();
    for (var i0 = 0; i0 < N; i0++) {
      var k0 = A.niche[i0];
      if (!members.has(k0)) members.set(k0, []);
      members.get(k0).push(i0);
    }
    DATA.niches.forEach(function (nc) {
      var d = el("div", nc.short || nc.label, "gi-lab gi-lab-niche");
      d.style.borderLeftColor = nc.color; d.style.display = "none";
      labelLayer.appendChild(d);
      measure.font = "700 14px system-ui, sans-serif";
      nicheLabels.push({ el: d, key: nc.key, members: members.get(nc.key) || [],
        w: measure.measureText(d.textContent).width + 14, h: 20 });
    });
    measure.font = "12px system-ui, sans-serif";
    (DATA.labelled || []).forEach(function (i) {
      var d = el("div", A.handle[i], "gi-lab gi-lab-creator");
      d.style.display = "none"; d.setAttribute("data-id", ids[i]);
      labelLayer.appendChild(d);
      creatorLabels.push({ el: d, i: i, w: measure.measureText(A.handle[i]).width + 6, h: 16 });
    });
  }
  // greedy placement: niche names first, then creators best first; a name that would overlap a
  // placed one (or leave the canvas) is not drawn
  function placeLabels() {
    if (!nicheLabels.length && !creatorLabels.length) return;
    var W = container.clientWidth, H = container.clientHeight, boxes = [], placed = [];
    function free(x, y, w, h) {
      if (x - w / 2 < 0 || x + w / 2 > W || y - h / 2 < 0 || y + h / 2 > H) return false;
      for (var b = 0; b < boxes.length; b++) {
        var o = boxes[b];
        if (Math.abs(x - o[0]) * 2 < w + o[2] && Math.abs(y - o[1]) * 2 < h + o[3]) return false;
      }
      return true;
    }
    function show(lab, x, y, ok) {
      if (ok) {
        boxes.push([x, y, lab.w, lab.h]);
        lab.el.style.left = x + "px"; lab.el.style.top = y + "px"; lab.el.style.display = "";
        placed.push(lab.el.textContent);
      } else lab.el.style.display = "none";
    }
    var scale = network.getScale();
    nicheLabels.forEach(function (lab) {
      // above its cluster (over the centre of the shown members), else below it, else shifted sideways
      var sx = 0, n = 0, top = Infinity, bottom = -Infinity;
      lab.members.forEach(function (i) {
        if (!hiddenNow[i]) { sx += X[i]; top = Math.min(top, Y[i] - R[i]); bottom = Math.max(bottom, Y[i] + R[i]); n++; }
      });
      if (!n) { show(lab, 0, 0, false); return; }
      var pt = network.canvasToDOM({ x: sx / n, y: top }), pb = network.canvasToDOM({ x: sx / n, y: bottom });
      if (pt.x < 0 || pt.x > W || pb.y < 0 || pt.y > H) { show(lab, 0, 0, false); return; }  // cluster off screen
      var ys = [pt.y - lab.h / 2 - 4, pb.y + lab.h / 2 + 4], dx = [0, -lab.w / 3, lab.w / 3];
      for (var a = 0; a < ys.length; a++) {
        for (var c = 0; c < dx.length; c++) {
          var x = Math.min(Math.max(pt.x + dx[c], lab.w / 2 + 2), W - lab.w / 2 - 2);
          var y = Math.min(Math.max(ys[a], lab.h / 2 + 2), H - lab.h / 2 - 2);
          if (free(x, y, lab.w, lab.h)) { show(lab, x, y, true); return; }
        }
      }
      show(lab, 0, 0, false);
    });
    creatorLabels.forEach(function (lab) {
      var i = lab.i;
      if (hiddenNow[i]) { show(lab, 0, 0, false); return; }
      var p = network.canvasToDOM({ x: X[i], y: Y[i] }), r = R[i] * scale;
      var spots = [[p.x, p.y + r + 9], [p.x, p.y - r - 9], [p.x + r + lab.w / 2 + 3, p.y], [p.x - r - lab.w / 2 - 3, p.y]];
      for (var s = 0; s < spots.length; s++) {
        if (free(spots[s][0], spots[s][1], lab.w, lab.h)) { show(lab, spots[s][0], spots[s][1], true); return; }
      }
      show(lab, 0, 0, false);
    });
    api.placedLabels = placed;
  }
  network.on("afterDrawing", function (ctx) {
    api.drawCount += 1;
    drawFocus(ctx);
    placeLabels();
    if (api.drawnAt === null) { api.drawnAt = performance.now(); document.body.setAttribute("data-drawn", "1"); }
  });
  network.on("dragEnd", function (p) { if (p.nodes && p.nodes.length) readPositions(); });

  // ------------------------------------------------------------------ highlight + details panel
  // the neighbourhood of the selected creator is drawn again over a veil that pales everything
  // else: no node or edge is re-coloured (that took seconds on a 5,000-creator map)
  var focus = null, selected = null;
  api.focus = function () { return focus; };
  function highlight(i) {
    var keep = network.getConnectedNodes(ids[i]);
    keep.push(ids[i]);
    focus = { nodes: keep, edges: network.getConnectedEdges(ids[i]) };
    selected = i;
    requestRedraw();
  }
  function unhighlight() {
    selected = null;
    if (focus === null) return;
    focus = null;
    requestRedraw();
  }
  function drawFocus(ctx) {
    if (focus === null) return;
    var tl = network.DOMtoCanvas({ x: 0, y: 0 }), br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    ctx.save();
    ctx.fillStyle = "rgba(255,255,255,0.75)";
    ctx.fillRect(tl.x, tl.y, br.x - tl.x, br.y - tl.y);
    ctx.restore();
    var B = network.body;
    focus.edges.forEach(function (id) {
      var e = B.edges[id];
      if (e && B.nodes[e.fromId] && B.nodes[e.toId] && !B.nodes[e.fromId].options.hidden && !B.nodes[e.toId].options.hidden) e.draw(ctx);
    });
    focus.nodes.forEach(function (id) { var nd = B.nodes[id]; if (nd && !nd.options.hidden) nd.draw(ctx); });
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
      if (row[c] === null && (col.label === "why" || col.label === "targets score" || col.label === "target rank")) return;
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
      extra.appendChild(el("h3", "Top creators (open in the niche's map)"));
      var ul2 = el("ul");
      (DATA.topCreators[i] || []).forEach(function (h) {
        var li = el("li");
        if (nc.href) {  // the niche's map, told which creator to select (a fragment, read by that page)
          var link = el("a", h[0]);
          link.setAttribute("href", nc.href + "#select=" + encodeURIComponent(h[1]));
          li.appendChild(link);
        } else li.textContent = h[0];
        ul2.appendChild(li);
      });
      extra.appendChild(ul2);
      if (ov && ov.length) {
        extra.appendChild(el("h3", "Most linked niches"));
        var ul3 = el("ul");
        ov.forEach(function (o) {
          var li = el("li");
          li.appendChild(linkButton(A.handle[o[0]], function () { selectIndex(o[0]); }));
          li.appendChild(el("span", " " + (100 * o[1]).toPrecision(2) + "% of creator pairs linked (" + fmt(o[2], "int") + ")"));
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
    highlight(i); showDetails(i); closeMatches();
    return true;
  }
  network.on("click", function (p) {
    closeMatches();
    if (p.nodes.length) { var i = indexOf.get(p.nodes[0]); highlight(i); showDetails(i); }
    else { unhighlight(); clearDetails(); }
  });
  network.on("doubleClick", function (p) {
    if (DATA.mode === "niches" && p.nodes.length) {
      var nc = DATA.niches[indexOf.get(p.nodes[0])];
      if (nc.href) window.location.href = nc.href;
    }
  });

  // ------------------------------------------------------------------ plain-text tooltip at the pointer
  // vis-network's hover events carry the DOM mouse event, not a position: the page follows the
  // pointer itself and keeps the tooltip next to it, inside the window
  var tip = document.getElementById("gi-tooltip"), pointer = { x: 0, y: 0 };
  function placeTip() {
    var w = tip.offsetWidth, h = tip.offsetHeight, x = pointer.x + 14, y = pointer.y + 16;
    if (x + w > window.innerWidth - 4) x = pointer.x - 14 - w;
    if (y + h > window.innerHeight - 4) y = pointer.y - 16 - h;
    tip.style.left = Math.max(4, x) + "px"; tip.style.top = Math.max(4, y) + "px";
  }
  container.addEventListener("mousemove", function (ev) {
    pointer.x = ev.clientX; pointer.y = ev.clientY;
    if (!tip.hidden) placeTip();
  });
  container.addEventListener("mouseleave", function () { tip.hidden = true; });
  network.on("hoverNode", function (p) {
    var i = indexOf.get(p.node), lines = [A.handle[i]];
    if (p.event && typeof p.event.clientX === "number") { pointer.x = p.event.clientX; pointer.y = p.event.clientY; }
    DATA.figures.columns.forEach(function (col, c) {
      var v = DATA.figures.rows[i][c];
      if (col.tooltip && !(v === null && (col.label === "why" || col.label === "targets score"))) lines.push(col.label + ": " + fmt(v, col.format));
    });
    tip.textContent = lines.join("\n");
    tip.hidden = false;
    placeTip();
  });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });
  network.on("zoom", function () { tip.hidden = true; });

  // ------------------------------------------------------------------ search
  var matchList = document.getElementById("gi-matches"), searchBox = document.getElementById("gi-search");
  var S = DATA.search || null;  // niches mode: every creator's handle and niche index
  function closeMatches() { matchList.hidden = true; clear(matchList); }
  function norm(s) { return String(s).trim().toLowerCase().replace(/^@+/, ""); }
  function search(q) {
    q = norm(q || "");
    clear(matchList);
    if (!q) { closeMatches(); return []; }
    var hits = [], exact = [], names = S ? S.handle : A.handle, target = function (k) { return S ? S.niche[k] : k; };
    for (var k = 0; k < names.length; k++) {
      var h = norm(names[k]), isExact = h === q || (!S && norm(ids[k]) === q);
      if (isExact) exact.push(k);
      else if (hits.length < 50 && h.indexOf(q) >= 0) hits.push(k);
    }
    var all = exact.concat(hits).map(function (k) {
      return { text: S ? names[k] + " \u2192 " + A.handle[S.niche[k]] : names[k], i: target(k), exact: exact.indexOf(k) >= 0 };
    });
    if (exact.length && !hiddenNow[target(exact[0])]) {  // an exact handle wins and the list closes
      selectIndex(target(exact[0]));
      return all.map(function (h) { return ids[h.i]; });
    }
    matchList.hidden = false;
    if (!all.length) { matchList.appendChild(el("li", "no creator matches", "gi-note")); return []; }
    all.forEach(function (h) {
      var li = el("li");
      li.appendChild(linkButton(h.text, function () { selectIndex(h.i); }));
      if (hiddenNow[h.i]) li.appendChild(el("span", " (hidden by a filter)", "gi-note"));
      matchList.appendChild(li);
    });
    return all.map(function (h) { return ids[h.i]; });
  }
  document.getElementById("gi-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(searchBox.value);
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") closeMatches(); });
  document.addEventListener("mousedown", function (ev) {
    if (!matchList.hidden && !document.getElementById("gi-search-form").contains(ev.target)) closeMatches();
  });

  updateStatus(N, M);
  updateTopList();
  api.shownLinks = M;
  fitVisible();
  // opened from the overview's list of top creators: select that creator
  var want = /^#select=(.+)$/.exec(window.location.hash || "");
  if (want && DATA.mode === "creators") {
    var wi = indexOf.get(decodeURIComponent(want[1]));
    if (wi !== undefined) selectIndex(wi);
  }
})();
