"""What the detection subgraph's operations depend on besides the session: clock, org tree, calendar, pipeline
rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inference.pipeline import PipelineSettings
from subgraphs.common.calendar import WorkingDayCalendar, default_calendar
from subgraphs.common.component import Wiring
from subgraphs.common.services import SubgraphServices
from subgraphs.detection.alert_feed import AlertFeed, LocalAlertFeed, SharedReads, feed_from
from subgraphs.detection.inference_status import EmbeddedProbe, InferenceProbe, probe_from

SYSTEM_ACTOR = "SYSTEM"
"""The actor recorded for automatic steps (the auto-filter, escalation on timeout)."""


@dataclass(frozen=True, slots=True)
class DetectionServices(SubgraphServices):
    """Built once per process and shared by every request and job."""

    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    """Per-category thresholds and the de-duplication window of :mod:`inference.pipeline`, applied to reports."""
    calendar: WorkingDayCalendar = field(default_factory=default_calendar)
    inference: InferenceProbe = field(default_factory=EmbeddedProbe)
    """The detector backend's readiness: embedded ONNX Runtime, or Triton when ``ZHIJIAN_TRITON_URL`` is set."""
    alert_feed: AlertFeed = field(default_factory=LocalAlertFeed)
    alert_reads: SharedReads[Any] = field(default_factory=SharedReads)
    """Each change's alert read once for all of this process's subscribers."""
    """Where committed alert moves go for live subscriptions: this process, or Redis (``ZHIJIAN_REDIS_URL``)."""

    @classmethod
    def build(cls, wiring: Wiring) -> DetectionServices:
        environ = dict(wiring.environ)
        return cls(
            clock=wiring.clock,
            org_tree=wiring.org_tree,
            inference=probe_from(environ),
            alert_feed=feed_from(environ),
        )
