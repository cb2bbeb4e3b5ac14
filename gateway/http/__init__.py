"""Stage 6: the HTTP edge (GraphQL over HTTP, health, GraphiQL)."""

from gateway.http.app import GatewayApp, create_app

__all__ = ["GatewayApp", "create_app"]
