"""Connectors to the bureau's legacy systems (DOMAIN.md §8): the commercial registry's SOAP WebService, a 前置库
exchange database, file drops (CSV in UTF-8/GBK/GB18030, .xlsx) and a REST/JSON endpoint.

Each adapter is a :class:`adapters.protocol.LegacyAdapter`: it reads its source in batches after a checkpoint and
maps each legacy record to the owning subgraph's input with pure functions; :mod:`adapters.sync` applies the
batches through that subgraph's bulk mutation at the gateway, as the adapter's own machine client, quarantines
what is refused, and records runs, counts and checkpoints in the integration subgraph's tables.
"""
