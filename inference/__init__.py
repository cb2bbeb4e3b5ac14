"""Vision models for kitchen cameras: model repository and the InferenceBackend seam."""
