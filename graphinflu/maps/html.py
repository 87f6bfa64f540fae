"""One self-contained page: inlined vis-network (or sigma.js) and map assets, the data as escaped JSON, a CSP.

pyvis is used for what it really gives us: the vis-network JavaScript and CSS it ships, inlined
here so the file works offline (no ``http://`` or ``https://`` text, no ``lib/`` folder). The
payload is built from plain Python values (:mod:`graphinflu.maps.payload`), so pyvis's ``Network``
is not needed; its files are found without importing it (which would pull in networkx and IPython).
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

from .._io import atomic_write, check_output_file
from ..errors import MapError


def script_json(obj) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (and inside HTML generally).

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e``, ``\\u0026`` (so ``</script>`` and
    ``<!--`` cannot occur), and U+2028 / U+2029 as escapes; NaN is not allowed (use None).

    >>> script_json({"h": "</script><b>&"})
    '{"h":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    s = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _vis_dir() -> Path:
    """The newest ``vis-<version>`` folder pyvis ships (its ``templates/lib``)."""
    spec = importlib.util.find_spec("pyvis")
    roots = list(spec.submodule_search_locations or []) if spec is not None else []
    base = Path(roots[0] if roots else "pyvis") / "templates" / "lib"
    found = sorted(base.glob("vis-*/vis-network.min.js"),
                   key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)))
    if not found:
        raise MapError(f"vis-network not found inside pyvis at {base}",
                       hint="reinstall pyvis (pip install --force-reinstall 'pyvis>=0.3.2')")
    return found[-1].parent


def _no_urls(text: str) -> str:
    """``http://`` → ``http:\\/\\/`` (the same value inside JavaScript strings, comments, regexes and CSS)."""
    return text.replace("http://", "http:\\/\\/").replace("https://", "https:\\/\\/")


def _defang(text: str) -> str:
    """Make inlined script text free of URLs and of anything that would end its ``<script>`` early.

    The only URLs in vis-network are licence/comment links, the SVG namespace string and an error
    message; in JavaScript strings, comments and regexes ``\\/`` means ``/``, so ``http:\\/\\/`` is
    the same value at run time.
    """
    text = re.sub(r"</(script)", r"<\\/\1", _no_urls(text), flags=re.IGNORECASE)
    return text.replace("<!--", "<\\!--")


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    vis = _vis_dir()
    tpl = resources.files("graphinflu") / "templates"
    css = (vis / "vis-network.css").read_text("utf-8")
    if re.search(r"url\(\s*(?!['\"]?data:)", css) or "</style" in css.lower():
        raise MapError("vis-network.css references external files; cannot inline it", path=vis / "vis-network.css")
    return {
        "vis_js": _defang((vis / "vis-network.min.js").read_text("utf-8")),
        "vis_css": _no_urls(css),
        "vis_version": vis.name,
        "html": (tpl / "map.html").read_text("utf-8"),
        "map_js": _defang((tpl / "map.js").read_text("utf-8")),
        "map_css": (tpl / "map.css").read_text("utf-8"),
    }


@lru_cache(maxsize=1)
def _webgl_assets() -> tuple[str, ...]:
    """graphology and sigma.js, the browser builds vendored from npm (``tools/vendor/update.sh``)."""
    vendor = resources.files("graphinflu") / "templates" / "vendor"
    try:
        return tuple(_defang((vendor / name).read_text("utf-8")) for name in ("graphology.umd.min.js", "sigma.min.js"))
    except OSError as err:
        raise MapError("the WebGL map renderer (sigma.js, graphology) is missing from graphinflu/templates/vendor",
                       hint="reinstall graphinflu, or run tools/vendor/update.sh in a checkout") from err


def _csp(scripts: Sequence[str]) -> str:
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
                      for s in scripts)
    return ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            f"script-src {hashes}; style-src 'unsafe-inline'; img-src data:; font-src data:; "
            "connect-src 'none'; form-action 'none'; base-uri 'none'\">")


def render_html(payload: dict, *, csp: bool = True) -> str:
    """The map page for a payload (see :mod:`graphinflu.maps.payload`) with every resource inlined.

    ``payload["renderer"] == "webgl"`` inlines graphology and sigma.js instead of vis-network (the
    same page, controls and data; see :data:`graphinflu.maps.params.DEFAULT_WEBGL_ABOVE`).
    """
    a = _assets()
    webgl = payload.get("renderer") == "webgl"
    libs = list(_webgl_assets()) if webgl else [a["vis_js"]]
    parts = {
        "TITLE": html.escape(str(payload.get("title", "graphinflu map")), quote=True),
        "VIS_CSS": "" if webgl else a["vis_css"],
        "MAP_CSS": a["map_css"],
        "DATA": script_json(payload),
        "LIBS": "\n".join(f"<script>{lib}</script>" for lib in libs),
        "MAP_JS": a["map_js"],
        "CSP": _csp(libs + [a["map_js"]]) if csp else "",
    }
    # one pass, so nothing inserted is scanned for placeholders again
    return re.sub(r"@@([A-Z_]+)@@", lambda mt: parts[mt.group(1)], a["html"])


def check_writable(path: Path) -> None:
    """Fail before any work when the map cannot be written (:func:`graphinflu._io.check_output_file`)."""
    check_output_file(path)


def write_page(path: Path, payload: dict) -> None:
    """Render ``payload`` and write it to ``path`` atomically (nothing is left behind on failure)."""
    text = render_html(payload)
    with atomic_write(path, "w") as fh:  # an OS error becomes an InputError naming the file
        fh.write(text)
