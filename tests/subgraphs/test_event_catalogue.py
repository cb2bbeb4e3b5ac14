"""The event catalogue: one name per event type, and every consumer a component registers handles a catalogued
type (producer and consumer meet there, never in each other's code)."""

from __future__ import annotations

from hub.components import JOB_OWNERS
from subgraphs.common.events import CATALOGUE


def test_event_type_names_are_unique_and_name_their_producer() -> None:
    names = [event_type.name for event_type in CATALOGUE]
    assert len(names) == len(set(names))
    for name in names:
        producer, _, what = name.partition(".")
        assert producer and what, f"{name} is not <producer>.<what happened>"


def test_every_registered_consumer_handles_a_catalogued_event() -> None:
    consumers = [consumer for owner in JOB_OWNERS for consumer in owner.consumers]
    assert len({consumer.name for consumer in consumers}) == len(consumers)
    for consumer in consumers:
        assert consumer.event_type in CATALOGUE, f"{consumer.name} handles {consumer.event_type.name}, not catalogued"
