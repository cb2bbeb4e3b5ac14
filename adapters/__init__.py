"""Connectors to legacy systems and the gRPC ingestion service for edge devices."""
