"""gRPC ingestion from edge devices (``:50051``): kitchen-camera edge boxes send frames or the alerts they detected,
quick-test kits stream readings. Devices authenticate, are bound to their registered premises, and every effect is
taken exactly once (idempotency key ``(device_id, seq)``)."""
