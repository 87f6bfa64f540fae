"""Interactive HTML maps of creators: niches as coloured clusters, authorities as big nodes.

Maps render the caller's tables; they never compute metrics. :func:`select_creators` picks the
creators from the per-account table, :func:`map_tables` turns that table and the overlap pairs into
the nodes and links a map draws, and :func:`build_map` writes one self-contained ``.html`` file
(vis-network, shipped inside pyvis, inlined) that works offline by double-click:

* no ``http://`` or ``https://`` text at all and no ``lib/`` folder written anywhere;
* a legend (niche colours with labels, tier marks, what size means), search by handle, filters by
  niche, tier, minimum engagement and minimum authority, click-to-highlight a neighbourhood and a
  side panel with the creator's figures and top audience overlaps;
* one authority measure sizes nodes on every map: PageRank, unless ``size_by`` names another
  column; a niche without a label is shown as ``niche <community id>``;
* physics is off: positions come from an igraph layout computed in Python, so 2,000 creators draw
  in about a second; above ``webgl_above`` (2,000) creators the same page draws with WebGL (sigma.js
  and graphology, vendored and inlined); above ``aggregate_above`` (50,000) creators the map shows
  one node per niche and writes one map per niche next to it;
* every text from the data is escaped: data travel as JSON inside ``<script type="application/json">``
  and are rendered with ``textContent``; tooltips are plain text; a Content-Security-Policy with
  the hashes of the two inline scripts blocks anything else from running or loading.

Modules: :mod:`~graphinflu.maps.tables` (tables in), :mod:`~graphinflu.maps.layout`,
:mod:`~graphinflu.maps.payload` (the JSON the page draws), :mod:`~graphinflu.maps.html` (page,
assets, CSP), :mod:`~graphinflu.maps.build` (the entry point and the aggregated overview).
"""

from __future__ import annotations

from ..errors import InputError, MapError  # InputError: tests/test_review_fixes.py reaches it as maps.InputError
from .build import MapResult, build_map
from .html import check_writable, render_html, script_json
from .params import DEFAULT_AGGREGATE_ABOVE, DEFAULT_WEBGL_ABOVE, MapParams
from .payload import PALETTE, TIER_SHAPES
from .style import safe_text
from .tables import map_tables, select_creators, with_targets

__all__ = ["build_map", "map_tables", "select_creators", "MapParams", "MapResult", "render_html", "script_json",
           "check_writable", "MapError", "InputError", "DEFAULT_AGGREGATE_ABOVE", "DEFAULT_WEBGL_ABOVE", "PALETTE", "TIER_SHAPES",
           "with_targets", "safe_text"]
