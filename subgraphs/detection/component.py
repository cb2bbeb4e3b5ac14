"""The detection subgraph's manifest (检测): port 4005, devices, kitchen alerts, quick tests, sampling and limits."""

from __future__ import annotations

from subgraphs.common.component import SubgraphComponent
from subgraphs.common.jurisdiction import Scopes
from subgraphs.detection import seed
from subgraphs.detection.app import DetectionApp
from subgraphs.detection.errors import DetectionCode
from subgraphs.detection.inference_status import advisory_checks
from subgraphs.detection.jobs import JOBS
from subgraphs.detection.loaders import DetectionLoaders
from subgraphs.detection.models import Base
from subgraphs.detection.schema import schema
from subgraphs.detection.services import DetectionServices

component: SubgraphComponent[DetectionServices, DetectionLoaders] = SubgraphComponent(
    name="detection",
    port=4005,
    schema=schema,
    models=Base,
    scopes=Scopes(read=("detection:read", "detection:write"), write="detection:write"),
    codes=DetectionCode,
    services=DetectionServices.build,
    loaders=DetectionLoaders,
    jobs=JOBS,
    seed_demo=seed.seed_demo,
    app=DetectionApp,
    advisory_checks=lambda services, _database: advisory_checks(services.inference),
)
