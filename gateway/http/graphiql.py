"""GraphiQL for browsers, served offline from vendored files under `static/graphiql/`."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static" / "graphiql"
ASSET_PREFIX = "/graphiql/"

_ORDER = ("react.", "react-dom", "graphiql")


@dataclass(frozen=True, slots=True)
class StaticAsset:
    """A file to send: bytes and content type."""

    body: bytes
    content_type: str


def _rank(name: str) -> tuple[int, str]:
    lowered = name.lower()
    for index, prefix in enumerate(_ORDER):
        if lowered.startswith(prefix):
            return index, lowered
    return len(_ORDER), lowered


def graphiql_page(endpoint: str) -> str:
    """The GraphiQL HTML page; scripts and styles are whatever is vendored, by relative URL."""
    files = sorted(p.name for p in STATIC_DIR.iterdir() if p.is_file()) if STATIC_DIR.is_dir() else []
    styles = "\n".join(f'    <link rel="stylesheet" href="graphiql/{n}" />' for n in files if n.endswith(".css"))
    scripts = "\n".join(
        f'    <script src="graphiql/{n}"></script>' for n in sorted((n for n in files if n.endswith(".js")), key=_rank)
    )
    missing = "" if files else "<p>GraphiQL assets are not installed under gateway/http/static/graphiql/.</p>"
    return f"""<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <title>智监 GraphQL</title>
    <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
{styles}
  </head>
  <body>
    <div id="graphiql">{missing}</div>
{scripts}
    <script>
      if (window.GraphiQL && window.React && window.ReactDOM) {{
        const fetcher = GraphiQL.createFetcher({{ url: new URL({endpoint!r}, window.location.href).href }});
        const element = React.createElement(GraphiQL, {{ fetcher }});
        const container = document.getElementById("graphiql");
        if (ReactDOM.createRoot) {{ ReactDOM.createRoot(container).render(element); }}
        else {{ ReactDOM.render(element, container); }}
      }}
    </script>
  </body>
</html>
"""


@lru_cache(maxsize=32)
def static_asset(name: str) -> StaticAsset | None:
    """A vendored file by its bare name; None for anything outside the folder."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = STATIC_DIR / name
    if not path.is_file():
        return None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type.endswith("javascript"):
        content_type += "; charset=utf-8"
    return StaticAsset(path.read_bytes(), content_type)
