"""OpenTelemetry spans for the gateway: one per request (`graphql.request`, a child of the client's W3C
`traceparent`), `graphql.parse`, `graphql.validate`, `graphql.plan` and one `subgraph.fetch` per subgraph call, whose
context goes to the subgraph as its `traceparent`.

Off by default (`OTEL_TRACES_EXPORTER` unset or `none`): no tracer exists and every instrumented place tests one
`None`, so plain requests pay nothing measurable. On: `console` (development) or `otlp` (needs the optional
`opentelemetry-exporter-otlp-proto-http` package; it reads the standard `OTEL_EXPORTER_OTLP_*` variables).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from opentelemetry.context import Context
from opentelemetry.trace import Span, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from gateway.errors import GatewayError

_PROPAGATOR = TraceContextTextMapPropagator()


class TracingUnavailable(GatewayError):
    """The configured trace exporter cannot be built (unknown name, package not installed)."""

    code = "TRACING_UNAVAILABLE"


def tracer_for(exporter: str, service_name: str) -> Tracer | None:
    """A tracer exporting to `exporter` (``console`` / ``otlp``), or None for ``none`` (tracing off)."""
    if exporter in ("", "none"):
        return None
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

    span_exporter: SpanExporter
    if exporter == "console":
        span_exporter = ConsoleSpanExporter()
    elif exporter == "otlp":
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # type: ignore[import-not-found,unused-ignore]
                OTLPSpanExporter,
            )
        except ImportError as error:
            raise TracingUnavailable(
                "OTEL_TRACES_EXPORTER=otlp needs the opentelemetry-exporter-otlp-proto-http package "
                "(pip install 'zhijian[otlp]')."
            ) from error
        span_exporter = OTLPSpanExporter()
    else:
        raise TracingUnavailable(f"OTEL_TRACES_EXPORTER={exporter!r} is not one of none, console, otlp.")
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(BatchSpanProcessor(span_exporter))
    return provider.get_tracer("zhijian.gateway")


def span(tracer: Tracer | None, name: str, **attributes: Any) -> AbstractContextManager[Span | None]:
    """A current span named `name` under `tracer`; a no-op context when tracing is off."""
    if tracer is None:
        return nullcontext()
    return tracer.start_as_current_span(name, attributes=attributes or None)


@contextmanager
def request_span(tracer: Tracer, traceparent: bytes | None, **attributes: Any) -> Iterator[Span]:
    """The request's span: a child of the client's `traceparent` when it sent a valid one, else a new trace."""
    parent: Context | None = None
    if traceparent is not None:
        parent = _PROPAGATOR.extract({"traceparent": traceparent.decode("latin-1")})
    with tracer.start_as_current_span("graphql.request", context=parent, attributes=attributes or None) as current:
        yield current


def with_traceparent(headers: Mapping[str, str] | None) -> dict[str, str]:
    """`headers` plus the current span's `traceparent` (for a subgraph fetch made inside its span)."""
    carrier = dict(headers or {})
    _PROPAGATOR.inject(carrier)
    return carrier
