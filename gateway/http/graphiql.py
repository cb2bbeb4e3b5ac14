"""GraphiQL for browsers, served offline from vendored files under `static/graphiql/`, with our officer sign-in."""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gateway.settings import GatewaySettings

STATIC_DIR = Path(__file__).parent / "static" / "graphiql"
"""Vendored, unmodified GraphiQL and React bundles: every `.js` and `.css` here goes into the page."""
OWN_DIR = STATIC_DIR.parent
"""Our own browser files (the sign-in script), served under the same prefix but included only by name."""
ASSET_PREFIX = "/graphiql/"
CALLBACK_PATH = "/auth/callback"
"""Where the provider sends the officer back (the demo browser client registers `<gateway origin>/auth/callback`)."""
SIGNED_OUT_PATH = "/"
"""Where the provider's RP-initiated logout sends the officer back; it redirects to GraphiQL."""
SIGN_IN_SCRIPT = "zhijian-signin.js"

_ORDER = ("react.", "react-dom", "graphiql")


@dataclass(frozen=True, slots=True)
class StaticAsset:
    """A file to send: bytes and content type."""

    body: bytes
    content_type: str


@dataclass(frozen=True, slots=True)
class SignIn:
    """Where GraphiQL signs officers in: an OpenID provider and its public PKCE client (code flow, in the browser)."""

    issuer: str
    client_id: str
    graphql_path: str

    @classmethod
    def of(cls, settings: GatewaySettings) -> SignIn | None:
        """The sign-in the settings configure; None (no button) unless both issuer and client id are set."""
        if not settings.oidc_issuer or not settings.oidc_client_id:
            return None
        return cls(settings.oidc_issuer, settings.oidc_client_id, settings.graphql_path)

    def script_tags(self, base: str) -> str:
        """The settings as inert JSON, then our script (`base` leads from the page to the asset prefix)."""
        config = {
            "issuer": self.issuer,
            "clientId": self.client_id,
            "callbackPath": CALLBACK_PATH,
            "signedOutPath": SIGNED_OUT_PATH,
            "graphqlPath": self.graphql_path,
        }
        text = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
        return (
            f'    <script id="zhijian-sign-in" type="application/json">{text}</script>\n'
            f'    <script src="{base}graphiql/{SIGN_IN_SCRIPT}"></script>'
        )


@dataclass(frozen=True, slots=True)
class BrowserPage:
    """A response for a browser outside `/graphql`: the sign-in callback or a redirect to GraphiQL."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[bytes, bytes], ...] = ()


_NO_STORE = ((b"cache-control", b"no-store"), (b"referrer-policy", b"no-referrer"))


def browser_page(path: str, settings: GatewaySettings) -> BrowserPage | None:
    """The callback page and the signed-out landing (`/`, redirected to GraphiQL) when sign-in is configured."""
    sign_in = SignIn.of(settings)
    if sign_in is None or not settings.graphiql:
        return None
    if path == CALLBACK_PATH:
        return BrowserPage(200, "text/html; charset=utf-8", callback_page(sign_in).encode(), _NO_STORE)
    if path == SIGNED_OUT_PATH:
        return BrowserPage(
            303, "text/plain; charset=utf-8", b"See GraphiQL.", ((b"location", settings.graphql_path.encode()),)
        )
    return None


def callback_page(sign_in: SignIn) -> str:
    """The page the provider redirects to: our script redeems the code, then returns to GraphiQL."""
    return f"""<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <link rel="icon" href="data:," />
    <title>智监 GraphQL · 登录 / Sign in</title>
  </head>
  <body>
    <p id="zhijian-callback">正在登录… / Signing in…</p>
{sign_in.script_tags("../")}
  </body>
</html>
"""


def _rank(name: str) -> tuple[int, str]:
    lowered = name.lower()
    for index, prefix in enumerate(_ORDER):
        if lowered.startswith(prefix):
            return index, lowered
    return len(_ORDER), lowered


EXAMPLE_QUERY = """# 智监 zhijian — one federated query: entities (entities subgraph) with their permits
# (permits subgraph). Sign in first (登录 / Sign in, above): officers see their jurisdiction only. Ctrl-Enter runs it.
{
  entities(first: 3, filter: { districtCode: "440304", status: EXISTING }) {
    edges { node { uscc name station { name } permits { number kind status validTo } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
"""The query GraphiQL opens with (the README's first example)."""


def graphiql_page(endpoint: str, sign_in: SignIn | None = None) -> str:
    """The GraphiQL HTML page; scripts and styles are whatever is vendored, by relative URL; a sign-in bar if asked."""
    files = sorted(p.name for p in STATIC_DIR.iterdir() if p.is_file()) if STATIC_DIR.is_dir() else []
    styles = "\n".join(f'    <link rel="stylesheet" href="graphiql/{n}" />' for n in files if n.endswith(".css"))
    scripts = "\n".join(
        f'    <script src="graphiql/{n}"></script>' for n in sorted((n for n in files if n.endswith(".js")), key=_rank)
    )
    missing = "" if files else "<p>GraphiQL assets are not installed under gateway/http/static/graphiql/.</p>"
    bar = '<div id="zhijian-auth"></div>' if sign_in else ""
    own = sign_in.script_tags("") if sign_in else ""
    example = json.dumps(EXAMPLE_QUERY, ensure_ascii=False)
    return f"""<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <link rel="icon" href="data:," />
    <title>智监 GraphQL</title>
    <style>
      body {{ margin: 0; height: 100vh; display: flex; flex-direction: column; }}
      #graphiql {{ flex: 1; min-height: 0; }}
    </style>
{styles}
  </head>
  <body>
    {bar}<div id="graphiql">{missing}</div>
{scripts}
{own}
    <script>
      if (window.GraphiQL && window.React && window.ReactDOM) {{
        const options = {{ url: new URL({endpoint!r}, window.location.href).href }};
        if (window.zhijianSignIn) {{ options.fetch = window.zhijianSignIn.fetch; }}
        const fetcher = GraphiQL.createFetcher(options);
        const element = React.createElement(GraphiQL, {{ fetcher, defaultQuery: {example} }});
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
    """A vendored file, or one of our own, by its bare name; None for anything outside the two folders."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = next((folder / name for folder in (STATIC_DIR, OWN_DIR) if (folder / name).is_file()), None)
    if path is None:
        return None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type.endswith("javascript"):
        content_type += "; charset=utf-8"
    return StaticAsset(path.read_bytes(), content_type)
