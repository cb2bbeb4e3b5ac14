"""Test support: real services and helpers shared by the suites."""
