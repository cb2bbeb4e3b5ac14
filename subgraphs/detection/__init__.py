"""Detection subgraph (检测): devices, kitchen-camera alerts, quick tests, sampling against versioned limits."""
