"""Embedded OAuth 2.0 / OpenID Connect provider: officers, roles, jurisdictions, machine clients."""
