"""A Neo4j Browser guide generated from the Cypher library: one slide per question, its
explanation (the file's header), a ``:params`` command with the documented defaults and the
query, both runnable with one click. Play it in Browser with ``:play URL`` (the server's
``browser.remote_content_hostname_allowlist`` must allow the host) or
``:play file:///...`` where Browser may read files."""

from __future__ import annotations

import html
import os
import re

from .._io import atomic_write
from .catalog import _PARAM_LINE, Query, catalog

__all__ = ["GUIDE_QUESTIONS", "browser_guide", "params_command", "write_browser_guide", "guide_blocks"]

#: The questions the guide shows, in order (the count first, so a user sees what is loaded).
GUIDE_QUESTIONS = ("graph_counts", "top_micro_influencers", "top_creators_by_pagerank", "niche_summary",
                   "audience_overlap_pair", "audience_overlap_list", "union_reach", "lookalikes", "metrics_runs")


def params_command(q: Query) -> str | None:
    """The Browser command that sets the query's documented parameters, e.g.
    ``:params {tier: 'micro', limit: 25}`` (the literals of its ``:param`` lines), or ``None``."""
    items = [f"{m.group(1)}: {m.group(2)}" for m in map(_PARAM_LINE.match, q.text.splitlines()) if m]
    return ":params {" + ", ".join(items) + "}" if items else None


def _explanation(q: Query) -> list[str]:
    lines = [line.lstrip("/ ").rstrip() for line in q.text.splitlines() if line.lstrip().startswith("//")][1:]
    keep = [line for line in lines if not _PARAM_LINE.match("// " + line)
            and not line.startswith(("Paste into Neo4j Browser", "No parameters."))]
    paragraphs, cur = [], []
    for line in keep + [""]:
        if line:
            cur.append(line)
        elif cur:
            paragraphs.append(" ".join(cur))
            cur = []
    return paragraphs


def _slide(q: Query) -> str:
    e = html.escape
    parts = [f"<h3>{e(q.summary[:1].upper() + q.summary[1:])}</h3>",
             f"<p><code>cypher/{e(q.name)}.cypher</code></p>"]
    parts += [f"<p>{e(p)}</p>" for p in _explanation(q)]
    cmd = params_command(q)
    if cmd:
        parts.append("<p>Set the parameters (edit the values), then run the query:</p>")
        parts.append(f'<pre class="pre-scrollable code runnable">{e(cmd)}</pre>')
    parts.append(f'<pre mode="cypher" class="pre-scrollable code runnable">{e(q.statement)}</pre>')
    body = "\n        ".join(parts)
    return f"""    <slide class="row-fluid">
      <div class="col-sm-12">
        {body}
      </div>
    </slide>"""


def browser_guide(names=GUIDE_QUESTIONS) -> str:
    """The guide as HTML (Neo4j Browser's guide format: ``<article class="guide">`` holding a
    ``<carousel>`` of ``<slide>`` elements; every value from the files is HTML-escaped)."""
    cat = catalog()
    intro = """    <slide class="row-fluid">
      <div class="col-sm-12">
        <h3>graphinflu: influencer questions in Cypher</h3>
        <p>Each slide is one file of graphinflu's Cypher library, run on the graph and findings that
        <code>graphinflu neo4j push</code> wrote (accounts, FOLLOWS, interactions, and PageRank,
        authority, tiers and niches on every account). Click a block to put it in the editor, then run it:
        first the <code>:params</code> command, then the query.</p>
      </div>
    </slide>"""
    slides = "\n".join([intro] + [_slide(cat[n]) for n in names])
    return f"""<article class="guide">
  <carousel class="deck container-fluid">
{slides}
  </carousel>
</article>
"""


def write_browser_guide(path: str | os.PathLike) -> None:
    """Write :func:`browser_guide` to ``path`` atomically."""
    with atomic_write(path, "w") as fh:
        fh.write(browser_guide())


def guide_blocks(text: str) -> list[tuple[str | None, str]]:
    """``(params command or None, query)`` of every question slide of a guide (for tests and tools)."""
    out = []
    for slide in re.findall(r"<slide.*?</slide>", text, re.S):
        blocks = [html.unescape(b) for b in re.findall(r'<pre[^>]*runnable">(.*?)</pre>', slide, re.S)]
        if blocks:
            out.append((blocks[0] if len(blocks) == 2 else None, blocks[-1]))
    return out
