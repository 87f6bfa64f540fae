/* graphinflu map: legend, search, filters, names on the canvas, neighbourhood highlight and a details
 * panel over vis-network (pyvis's renderer) or, for large maps (payload "renderer": "webgl"), WebGL
 * (sigma.js + graphology). Every text from the data is rendered with textContent (never innerHTML);
 * the data arrives as JSON in a JSON script block (type application/json). Exposes
 * window.graphinflu for tests and scripting (renderer-neutral: selected(), nodeXY(id), hiddenIds(),
 * focus(), marks; vis-network maps also network/nodes/edges, WebGL maps sigma/graph). */
(function () {
  "use strict";
  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById("gi-data").textContent);
  var MARKS = { parsed: performance.now() };
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
  var E = DATA.edges, M = E.from.length;
  var container = document.getElementById("gi-network");
  var hiddenNow = new Uint8Array(N);
  var X = new Float64Array(N), Y = new Float64Array(N), R = new Float64Array(N);
  DATA.nodes.forEach(function (n, i) { X[i] = n.x || 0; Y[i] = n.y || 0; R[i] = n.size || 10; });
  // each creator's links (CSR over both ends): the neighbourhood a click highlights
  var adjStart = new Int32Array(N + 1), adjEdge = new Int32Array(2 * M);
  (function () {
    for (var j = 0; j < M; j++) { adjStart[E.from[j] + 1]++; adjStart[E.to[j] + 1]++; }
    for (var i = 0; i < N; i++) adjStart[i + 1] += adjStart[i];
    var fill = adjStart.slice(0, N);
    for (var k = 0; k < M; k++) { adjEdge[fill[E.from[k]]++] = k; adjEdge[fill[E.to[k]]++] = k; }
  })();

  // the renderer draws nodes and links and reports pointer events; everything else (legend, filters,
  // names, highlight veil, panel, search, list, CSV) is the same code for both renderers
  var hooks = {};  // draw(ctx), hover(i, ev), blur(), click(i or -1), dblclick(i), moved()
  var view = DATA.renderer === "webgl" ? webglView() : visView();
  var api = window.graphinflu = {
    data: DATA, renderer: view.kind, marks: MARKS, drawnAt: null, drawCount: 0, t0: T0, tNet: performance.now(),
    select: selectIndex, search: search, applyFilters: applyFilters, visibleNodeIds: visibleNodeIds,
    fit: fitVisible, shownLinks: 0,
    selected: function () { return selected === null ? null : ids[selected]; },
    nodeXY: function (id) {  // where a node is drawn, in window pixels
      var i = indexOf.get(id), p = view.toDOM(X[i], Y[i]), r = container.getBoundingClientRect();
      return [r.left + p.x, r.top + p.y];
    },
    nodeRadius: function (id) { return R[indexOf.get(id)] * view.scale(); },
    hiddenIds: function () { return ids.filter(function (_, i) { return hiddenNow[i] === 1; }); }
  };
  view.expose(api);

  // ------------------------------------------------------------------ vis-network (pyvis's renderer)
  function visView() {
    var edgeList0 = new Array(M);
    for (var q = 0; q < M; q++) {
      var kd = E.kinds[E.kind[q]];
      edgeList0[q] = { id: "e" + q, from: ids[E.from[q]], to: ids[E.to[q]], width: E.width[q], color: kd.color };
      if (kd.arrows) edgeList0[q].arrows = "to";
    }
    var nodes = new vis.DataSet(DATA.nodes);
    var edges = new vis.DataSet(edgeList0);
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
    network.on("afterDrawing", function (ctx) { hooks.draw(ctx); });
    network.on("dragEnd", function (p) {  // a dragged node keeps its new place
      if (!p.nodes || !p.nodes.length) return;
      var pos = network.getPositions();
      for (var i = 0; i < N; i++) { var o = pos[ids[i]]; if (o) { X[i] = o.x; Y[i] = o.y; } }
    });
    network.on("click", function (p) { hooks.click(p.nodes.length ? indexOf.get(p.nodes[0]) : -1); });
    network.on("doubleClick", function (p) { if (p.nodes.length) hooks.dblclick(indexOf.get(p.nodes[0])); });
    network.on("hoverNode", function (p) { hooks.hover(indexOf.get(p.node), p.event); });
    network.on("blurNode", function () { hooks.blur(); });
    network.on("dragStart", function () { hooks.moved(); });
    network.on("zoom", function () { hooks.moved(); });
    return {
      kind: "vis-network",
      expose: function (o) { o.network = network; o.nodes = nodes; o.edges = edges; },
      redraw: function () { network.body.emitter.emit("_requestRedraw"); },  // one redraw at the next frame
      scale: function () { return network.getScale(); },
      toDOM: function (x, y) { return network.canvasToDOM({ x: x, y: y }); },
      moveTo: function (x, y, scale) { network.moveTo({ position: { x: x, y: y }, scale: scale, animation: false }); },
      // straight on vis's node objects, then one rebuild of the visible lists: a DataSet update of
      // thousands of nodes took seconds on a 5,000-creator map
      setHidden: function (changed) {
        changed.forEach(function (i) { var nd = network.body.nodes[ids[i]]; if (nd) nd.options.hidden = hiddenNow[i] === 1; });
        network._updateVisibleIndices();
        network.body.emitter.emit("_requestRedraw");
      },
      select: function (i) { if (i === null) network.unselectAll(); else network.selectNodes([ids[i]]); },
      // the neighbourhood drawn again over the veil by vis itself (same look as the map)
      drawFocus: function (ctx, f) {
        var tl = network.DOMtoCanvas({ x: 0, y: 0 }), br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
        ctx.save();
        ctx.fillStyle = "rgba(255,255,255,0.75)";
        ctx.fillRect(tl.x, tl.y, br.x - tl.x, br.y - tl.y);
        ctx.restore();
        var B = network.body;
        f.edges.forEach(function (j) { var e = B.edges["e" + j]; if (e && !hiddenNow[E.from[j]] && !hiddenNow[E.to[j]]) e.draw(ctx); });
        f.idx.forEach(function (i) { var nd = B.nodes[ids[i]]; if (nd && !hiddenNow[i]) nd.draw(ctx); });
      }
    };
  }

  // ------------------------------------------------------------------ WebGL (sigma.js + graphology)
  // for maps too large for vis-network: nodes as GL points shaped by tier in the fragment shader,
  // links as GL lines (plain draws, no instancing: fast in software GL too). A filter writes the
  // hidden nodes' size and links' colour straight into the programs' vertex arrays and draws once:
  // no re-processing of 100,000 items through sigma's reducers.
  // WebGL turned off or unavailable: say so where the map would be (sigma.js cannot even load then)
  function noWebGL(why) {
    container.appendChild(el("p", "This map of " + fmt(N, "int") + " creators is drawn with WebGL, which this browser " +
      "does not offer (" + why + "). Turn WebGL on, or draw the map again with graphinflu map --webgl-above " +
      N + " (slower at this size).", "gi-note gi-nogl"));
    throw new Error("WebGL is not available: " + why);
  }
  function webglView() {
    var probe = document.createElement("canvas");
    if (typeof Sigma === "undefined" || !(probe.getContext("webgl2") || probe.getContext("webgl"))) noWebGL("no WebGL context");
    var SHAPES = { dot: 0, triangleDown: 1, diamond: 2, square: 3, star: 4, hexagon: 5, triangle: 6 };
    var U = Sigma.utils, FLOAT = WebGLRenderingContext.FLOAT, UBYTE = WebGLRenderingContext.UNSIGNED_BYTE;
    var NOFF = new Int32Array(N).fill(-1), EOFF = new Int32Array(M).fill(-1), SIZE = new Float32Array(N);
    var ECOL = new Float32Array(M), progs = { nodes: null, edges: null };
    var NODE_VS = [
      "attribute vec4 a_id; attribute vec4 a_color; attribute vec2 a_position; attribute float a_size;",
      "attribute float a_shape; attribute float a_border;",
      "uniform float u_sizeRatio; uniform float u_pixelRatio; uniform mat3 u_matrix;",
      "varying vec4 v_color; varying float v_shape; varying float v_border; varying float v_px;",
      "void main() {",
      "  gl_Position = vec4((u_matrix * vec3(a_position, 1)).xy, 0, 1);",
      "  float px = a_size <= 0.0 ? 0.0 : max(a_size / u_sizeRatio * u_pixelRatio * 2.0, 2.5 * u_pixelRatio);",
      "  if (px == 0.0) gl_Position = vec4(2.0, 2.0, 2.0, 1.0);",
      "  gl_PointSize = px; v_px = max(px, 1.0); v_shape = a_shape; v_border = a_border;",
      "  #ifdef PICKING_MODE",
      "  v_color = a_id;",
      "  #else",
      "  v_color = a_color;",
      "  #endif",
      "  v_color.a *= 255.0 / 254.0;",
      "}"].join("\n");
    // signed distance to the tier's shape (< 0 inside), in units of the point's half size
    var NODE_FS = [
      "precision mediump float;",
      "varying vec4 v_color; varying float v_shape; varying float v_border; varying float v_px;",
      "float shape(vec2 p, float s) {",
      "  if (s < 0.5) return length(p) - 1.0;",
      "  if (s < 1.5) return max(-p.y - 0.75, (1.8 * abs(p.x) - (1.0 - p.y)) / 2.06);",
      "  if (s < 2.5) return (abs(p.x) + abs(p.y) - 1.0) * 0.7071;",
      "  if (s < 3.5) return max(abs(p.x), abs(p.y)) - 0.85;",
      "  if (s < 4.5) { float a = atan(p.y, p.x) + 1.5708; return length(p) - (0.5 + 0.5 * pow(abs(cos(2.5 * a)), 4.0)); }",
      "  if (s < 5.5) return max(abs(p.x) * 0.866 + abs(p.y) * 0.5, abs(p.y)) - 0.92;",
      "  return max(p.y - 0.75, (1.8 * abs(p.x) - (1.0 + p.y)) / 2.06);",
      "}",
      "void main(void) {",
      "  vec2 p = gl_PointCoord * 2.0 - 1.0;",
      "  float d = shape(p, v_shape), aa = 2.0 / v_px;",
      "  #ifdef PICKING_MODE",
      "  gl_FragColor = d <= 0.0 ? v_color : vec4(0.0);",
      "  #else",
      "  float brand = step(9.5, v_border), pat = v_border - 10.0 * brand;",
      "  float bw = (brand > 0.5 ? 5.0 : (pat > 0.5 ? 2.5 : 1.0)) * aa;",
      "  float ang = atan(p.y, p.x) / 6.2832;",
      "  float on = pat < 0.5 ? 1.0 : (pat < 1.5 ? step(fract(ang * 8.0), 0.6) : step(fract(ang * 16.0), 0.35));",
      "  vec3 edge = brand > 0.5 || pat > 0.5 ? vec3(0.07) : v_color.rgb * 0.6;",
      "  vec3 rgb = mix(v_color.rgb, edge, on * smoothstep(-bw - aa, -bw, d));",
      "  float alpha = 1.0 - smoothstep(-aa, 0.0, d);",
      "  gl_FragColor = vec4(rgb * alpha, alpha);",
      "  #endif",
      "}"].join("\n");
    class GiNodes extends Sigma.rendering.NodeProgram {
      getDefinition() {
        return { VERTICES: 1, VERTEX_SHADER_SOURCE: NODE_VS, FRAGMENT_SHADER_SOURCE: NODE_FS,
          METHOD: WebGLRenderingContext.POINTS, UNIFORMS: ["u_sizeRatio", "u_pixelRatio", "u_matrix"],
          ATTRIBUTES: [{ name: "a_position", size: 2, type: FLOAT }, { name: "a_size", size: 1, type: FLOAT },
            { name: "a_color", size: 4, type: UBYTE, normalized: true }, { name: "a_id", size: 4, type: UBYTE, normalized: true },
            { name: "a_shape", size: 1, type: FLOAT }, { name: "a_border", size: 1, type: FLOAT }] };
      }
      processVisibleItem(nodeIndex, start, d) {
        var a = this.array;
        if (this.pickProgram) { NOFF[d.i] = start; progs.nodes = this; }  // the main program (not the hover layer's)
        a[start] = d.x; a[start + 1] = d.y; a[start + 2] = hiddenNow[d.i] ? 0 : d.size;
        a[start + 3] = U.floatColor(d.color); a[start + 4] = nodeIndex; a[start + 5] = d.shape; a[start + 6] = d.border;
      }
      setUniforms(p, info) {
        var gl = info.gl, u = info.uniformLocations;
        gl.uniform1f(u.u_pixelRatio, p.pixelRatio); gl.uniform1f(u.u_sizeRatio, p.sizeRatio);
        gl.uniformMatrix3fv(u.u_matrix, false, p.matrix);
      }
    }
    class GiEdges extends Sigma.rendering.EdgeLineProgram {
      processVisibleItem(edgeIndex, start, s, t, d) {
        super.processVisibleItem(edgeIndex, start, s, t, d);
        EOFF[d.j] = start; progs.edges = this;
        if (hiddenNow[E.from[d.j]] || hiddenNow[E.to[d.j]]) { this.array[start + 2] = 0; this.array[start + 6] = 0; }
      }
    }
    // premultiplied colours (sigma blends with ONE, ONE_MINUS_SRC_ALPHA); a stronger overlap is darker
    function rgba(c, alpha) {
      var m = /rgba?\(([^)]*)\)/.exec(c), v = m ? m[1].split(",").map(Number) : [110, 110, 110, 0.5];
      var a = Math.min(1, (v.length > 3 ? v[3] : 1) * alpha);
      return "rgba(" + Math.round(v[0] * a) + "," + Math.round(v[1] * a) + "," + Math.round(v[2] * a) + "," + a.toFixed(3) + ")";
    }
    // a plain directed graph unless two links join the same pair (graphology's multi graphs are slower)
    var pairs = new Set(), multi = false;
    for (var q = 0; q < M && !multi; q++) {
      var key = E.from[q] * N + E.to[q];
      if (pairs.has(key)) multi = true; else pairs.add(key);
    }
    pairs = null;
    var graph = multi ? new graphology.MultiDirectedGraph() : new graphology.DirectedGraph();
    var shapeOf = DATA.tiers.length ? DATA.tiers.map(function (t) { return SHAPES[t.shape] || 0; }) : [];
    DATA.nodes.forEach(function (n, i) {
      var c = n.color, fill = typeof c === "string" ? c : c.background;
      var dashes = n.shapeProperties && n.shapeProperties.borderDashes, pat = dashes ? (dashes[0] > 3 ? 1 : 2) : 0;
      SIZE[i] = n.size;
      graph.addNode(n.id, { x: n.x, y: -n.y, size: n.size, color: fill, i: i, shape: A.tier ? shapeOf[A.tier[i]] || 0 : SHAPES[n.shape] || 0,
        border: pat + ((n.borderWidth || 1) >= 5 ? 10 : 0) });
    });
    // the more links, the fainter each (100,000 links at full strength hide the niches' colours)
    var fade = Math.min(1, Math.sqrt(5000 / Math.max(M, 1)));
    var kindColor = E.kinds.map(function (k) { return k.color; }), colours = new Map();
    for (var j = 0; j < M; j++) {
      var ck = E.kind[j] * 1000 + (E.kind[j] === 0 ? Math.round(E.width[j] * 10) : 0), col = colours.get(ck);
      if (col === undefined) {
        col = rgba(kindColor[E.kind[j]], fade * (E.kind[j] === 0 ? 0.45 + 0.25 * (E.width[j] - 1) : 1));
        colours.set(ck, col);
      }
      ECOL[j] = U.floatColor(col);
      graph.addDirectedEdgeWithKey("e" + j, ids[E.from[j]], ids[E.to[j]], { color: col, j: j });
    }
    function noop() {}
    MARKS.graph = performance.now();
    var sigma;
    try {
      sigma = makeSigma();
    } catch (err) { noWebGL(err.message); }
    function makeSigma() { return new Sigma(graph, container, {
      renderLabels: false, renderEdgeLabels: false, enableEdgeEvents: false, zIndex: false,
      defaultNodeType: "gi", defaultEdgeType: "gi", nodeProgramClasses: { gi: GiNodes }, edgeProgramClasses: { gi: GiEdges },
      nodeHoverProgramClasses: { gi: GiNodes }, defaultDrawNodeHover: noop, defaultDrawNodeLabel: noop,
      itemSizesReference: "positions", zoomToSizeRatioFunction: function (r) { return r; },
      hideEdgesOnMove: M > 3000, minCameraRatio: 0.0005, maxCameraRatio: 20, stagePadding: 60
    }); }
    MARKS.sigma = performance.now();
    // an overlay for the highlight veil and the neighbourhood drawn over it (a few items, 2D canvas)
    var overlay = document.createElement("canvas");
    overlay.className = "gi-overlay";
    container.appendChild(overlay);
    var octx = overlay.getContext("2d");
    sigma.on("afterRender", function () { hooks.draw(null); });
    sigma.on("enterNode", function (e) { hooks.hover(graph.getNodeAttribute(e.node, "i"), e.event.original); });
    sigma.on("leaveNode", function () { hooks.blur(); });
    sigma.on("clickNode", function (e) { hooks.click(graph.getNodeAttribute(e.node, "i")); });
    sigma.on("clickStage", function () { hooks.click(-1); });
    // sigma reports a second click within 0.3 s (anywhere) as a double click only: it selects too
    sigma.on("doubleClickNode", function (e) {
      var i = graph.getNodeAttribute(e.node, "i");
      e.preventSigmaDefault(); hooks.click(i); hooks.dblclick(i);
    });
    sigma.on("doubleClickStage", function (e) { e.preventSigmaDefault(); hooks.click(-1); });
    sigma.getCamera().on("updated", function () { hooks.moved(); });
    function scale() {
      var a = sigma.graphToViewport({ x: 0, y: 0 }), b = sigma.graphToViewport({ x: 1000, y: 0 });
      return Math.abs(b.x - a.x) / 1000;
    }
    function shapePath(ctx, s, x, y, r) {
      ctx.beginPath();
      if (s === 0) { ctx.arc(x, y, r, 0, 2 * Math.PI); return; }
      var pts = s === 1 ? [[-1, -0.75], [1, -0.75], [0, 1]] : s === 6 ? [[-1, 0.75], [1, 0.75], [0, -1]]
        : s === 2 ? [[0, -1], [1, 0], [0, 1], [-1, 0]] : s === 3 ? [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]]
        : s === 5 ? [[0, -1], [0.87, -0.5], [0.87, 0.5], [0, 1], [-0.87, 0.5], [-0.87, -0.5]] : null;
      if (!pts) {  // star
        pts = [];
        for (var k = 0; k < 10; k++) { var a = -Math.PI / 2 + k * Math.PI / 5, q = k % 2 ? 0.45 : 1; pts.push([q * Math.cos(a), q * Math.sin(a)]); }
      }
      pts.forEach(function (p, k) { if (k) ctx.lineTo(x + r * p[0], y + r * p[1]); else ctx.moveTo(x + r * p[0], y + r * p[1]); });
      ctx.closePath();
    }
    return {
      kind: "webgl",
      expose: function (o) { o.sigma = sigma; o.graph = graph; },
      redraw: function () { sigma.scheduleRender(); },
      scale: scale,
      toDOM: function (x, y) { return sigma.graphToViewport({ x: x, y: -y }); },
      moveTo: function (x, y, s) {
        var cam = sigma.getCamera(), st = cam.getState(), f = sigma.normalizationFunction({ x: x, y: -y });
        cam.setState({ x: f.x, y: f.y, ratio: st.ratio * scale() / s, angle: st.angle });
      },
      setHidden: function () {
        var na = progs.nodes ? progs.nodes.array : null, ea = progs.edges ? progs.edges.array : null;
        for (var i = 0; na && i < N; i++) if (NOFF[i] >= 0) na[NOFF[i] + 2] = hiddenNow[i] ? 0 : SIZE[i];
        for (var j = 0; ea && j < M; j++) {
          if (EOFF[j] < 0) continue;
          var c = hiddenNow[E.from[j]] || hiddenNow[E.to[j]] ? 0 : ECOL[j];
          ea[EOFF[j] + 2] = c; ea[EOFF[j] + 6] = c;
        }
        sigma.scheduleRender();
      },
      select: noop,  // the selected creator is drawn with a ring on the overlay
      drawFocus: function (ctx, f) {
        var w = container.clientWidth, h = container.clientHeight, dpr = window.devicePixelRatio || 1;
        if (overlay.width !== Math.round(w * dpr) || overlay.height !== Math.round(h * dpr)) {
          overlay.width = Math.round(w * dpr); overlay.height = Math.round(h * dpr);
        }
        octx.setTransform(dpr, 0, 0, dpr, 0, 0);
        octx.clearRect(0, 0, w, h);
        if (f === null) return;
        octx.fillStyle = "rgba(255,255,255,0.75)";
        octx.fillRect(0, 0, w, h);
        var s = scale();
        octx.lineWidth = 1.5;
        f.edges.forEach(function (j) {
          var a = E.from[j], b = E.to[j];
          if (hiddenNow[a] || hiddenNow[b]) return;
          var p = view.toDOM(X[a], Y[a]), q = view.toDOM(X[b], Y[b]);
          octx.strokeStyle = E.kinds[E.kind[j]].color;
          octx.beginPath(); octx.moveTo(p.x, p.y); octx.lineTo(q.x, q.y); octx.stroke();
        });
        f.idx.forEach(function (i) {
          if (hiddenNow[i]) return;
          var p = view.toDOM(X[i], Y[i]), r = Math.max(R[i] * s, 2.5), attr = graph.getNodeAttributes(ids[i]);
          shapePath(octx, attr.shape, p.x, p.y, r);
          octx.fillStyle = attr.color; octx.fill();
          octx.lineWidth = attr.border >= 10 ? 3 : 1; octx.strokeStyle = attr.border >= 10 ? "#111111" : "rgba(0,0,0,0.45)";
          octx.stroke();
          if (i === f.i) { octx.lineWidth = 2.5; octx.strokeStyle = "#111111"; shapePath(octx, 0, p.x, p.y, r + 4); octx.stroke(); }
        });
      }
    };
  }

  // ------------------------------------------------------------------ view: fit what is shown
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
    view.moveTo((x0 + x1) / 2, (y0 + y1) / 2, Math.max(scale, 0.005));
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
      if (hide !== hiddenNow[i]) { hiddenNow[i] = hide; changes.push(i); }
    }
    var links = 0;
    for (var j = 0; j < M; j++) if (!hiddenNow[E.from[j]] && !hiddenNow[E.to[j]]) links++;
    api.shownLinks = links;
    if (changes.length) {
      view.setHidden(changes);
      if (selected !== null && hiddenNow[selected]) { view.select(null); unhighlight(); clearDetails(); }
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
  // every creator best first, sorted once; the shown ones are then picked in that order
  var RANKED = null;
  function shownRanked() {
    if (RANKED === null) {
      RANKED = new Int32Array(N);
      for (var k = 0; k < N; k++) RANKED[k] = k;
      RANKED.sort(function (a, b) {
        var x = rankValue(a), y = rankValue(b);
        return (y[0] - x[0]) || (y[1] - x[1]) || (a - b);
      });
    }
    var out = [];
    for (var i = 0; i < N; i++) if (!hiddenNow[RANKED[i]]) out.push(RANKED[i]);
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
    var scale = view.scale();
    nicheLabels.forEach(function (lab) {
      // above its cluster (over the centre of the shown members), else below it, else shifted sideways
      var sx = 0, n = 0, top = Infinity, bottom = -Infinity;
      lab.members.forEach(function (i) {
        if (!hiddenNow[i]) { sx += X[i]; top = Math.min(top, Y[i] - R[i]); bottom = Math.max(bottom, Y[i] + R[i]); n++; }
      });
      if (!n) { show(lab, 0, 0, false); return; }
      var pt = view.toDOM(sx / n, top), pb = view.toDOM(sx / n, bottom);
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
      var p = view.toDOM(X[i], Y[i]), r = R[i] * scale;
      var spots = [[p.x, p.y + r + 9], [p.x, p.y - r - 9], [p.x + r + lab.w / 2 + 3, p.y], [p.x - r - lab.w / 2 - 3, p.y]];
      for (var s = 0; s < spots.length; s++) {
        if (free(spots[s][0], spots[s][1], lab.w, lab.h)) { show(lab, spots[s][0], spots[s][1], true); return; }
      }
      show(lab, 0, 0, false);
    });
    api.placedLabels = placed;
  }
  hooks.draw = function (ctx) {
    api.drawCount += 1;
    if (focus !== null || view.kind !== "vis-network") view.drawFocus(ctx, focus);
    placeLabels();
    if (api.drawnAt === null) { api.drawnAt = performance.now(); document.body.setAttribute("data-drawn", "1"); }
  };

  // ------------------------------------------------------------------ highlight + details panel
  // the neighbourhood of the selected creator is drawn again over a veil that pales everything
  // else: no node or edge is re-coloured (that took seconds on a 5,000-creator map)
  var focus = null, selected = null;
  api.focus = function () { return focus; };
  function highlight(i) {
    var idx = [], seen = new Set(), links = [];
    for (var k = adjStart[i]; k < adjStart[i + 1]; k++) {
      var j = adjEdge[k], o = E.from[j] === i ? E.to[j] : E.from[j];
      links.push(j);
      if (!seen.has(o)) { seen.add(o); idx.push(o); }
    }
    idx.push(i);  // drawn last: on top of its neighbours
    focus = { i: i, idx: idx, nodes: idx.map(function (k) { return ids[k]; }), edges: links };
    selected = i;
    view.redraw();
  }
  function unhighlight() {
    selected = null;
    if (focus === null) return;
    focus = null;
    view.redraw();
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
    view.select(i);
    view.moveTo(X[i], Y[i], Math.max(view.scale(), 0.8));
    highlight(i); showDetails(i); closeMatches();
    return true;
  }
  hooks.click = function (i) {
    closeMatches();
    if (i >= 0 && !hiddenNow[i]) { highlight(i); showDetails(i); }
    else { unhighlight(); clearDetails(); }
  };
  hooks.dblclick = function (i) {
    if (DATA.mode === "niches") {
      var nc = DATA.niches[i];
      if (nc.href) window.location.href = nc.href;
    }
  };

  // ------------------------------------------------------------------ plain-text tooltip at the pointer
  // the renderers' hover events carry the DOM mouse event, not a position: the page follows the
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
  hooks.hover = function (i, ev) {
    var lines = [A.handle[i]];
    if (ev && typeof ev.clientX === "number") { pointer.x = ev.clientX; pointer.y = ev.clientY; }
    DATA.figures.columns.forEach(function (col, c) {
      var v = DATA.figures.rows[i][c];
      if (col.tooltip && !(v === null && (col.label === "why" || col.label === "targets score"))) lines.push(col.label + ": " + fmt(v, col.format));
    });
    tip.textContent = lines.join("\n");
    tip.hidden = false;
    placeTip();
  };
  hooks.blur = hooks.moved = function () { tip.hidden = true; };

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
  // sigma drew the first view (every creator, framed with a margin for names) when it was made: a
  // fit now would draw 100,000 items again before anything is on screen
  if (view.kind === "webgl") hooks.draw(null); else fitVisible();
  // opened from the overview's list of top creators: select that creator
  var want = /^#select=(.+)$/.exec(window.location.hash || "");
  if (want && DATA.mode === "creators") {
    var wi = indexOf.get(decodeURIComponent(want[1]));
    if (wi !== undefined) selectIndex(wi);
  }
})();
