"""The hub as one deployable: settings, command line, and the embedded all-in-one process."""
