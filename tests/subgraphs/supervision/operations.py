"""GraphQL documents the supervision tests send."""

from __future__ import annotations

TASK = """
fragment T on InspectionTask {
  id source uscc reason reference planId items status districtCode stationCode dueOn dueRule inspectedOn
  publishBy publishedOn overdue publicationOverdue allowedNext inspectors
  history { fromStatus toStatus actor at reason }
  record { id outcome findings { itemCode kind outcome handling deadlineOn followUpTaskId transferId } }
}
"""
OPEN = TASK + "mutation($input: OpenTaskInput!) { openInspectionTask(input: $input) { task { ...T } } }"
ASSIGN = (
    TASK
    + """mutation($id: ID!, $inspectors: [String!]!, $reason: String! = "") {
  assignInspectors(id: $id, inspectors: $inspectors, reason: $reason) { task { ...T } } }"""
)
START = TASK + "mutation($id: ID!) { startInspection(id: $id) { task { ...T } } }"
CANCEL = (
    TASK + "mutation($id: ID!, $reason: String!) { cancelInspectionTask(id: $id, reason: $reason) { task { ...T } } }"
)
CLOSE = TASK + "mutation($id: ID!) { closeInspectionTask(id: $id) { task { ...T } } }"
RECORD = (
    TASK
    + """mutation($id: ID!, $findings: [FindingInput!]!) {
  recordInspection(id: $id, findings: $findings) { record { id outcome } task { ...T }
    followUps { ...T } warnings } }"""
)
TRANSFER = """mutation($id: ID!, $item: String!) {
  transferToEnforcement(id: $id, itemCode: $item) { transferred finding { itemCode transferId } } }"""
READ = TASK + "query($id: ID!) { inspectionTask(id: $id) { ...T } }"
DRAW = """mutation($input: DrawPlanInput!) {
  drawInspectionPlan(input: $input) { drawn
    plan { id algorithm seed inputsDigest poolSize recusals status dueOn } } }"""
VERIFY = """query($id: ID!) { verifyDraw(planId: $id) { matches inputsMatch selectionMatch drawn redrawn seed } }"""
PUBLISH = """mutation($id: ID!) { publishPlanResults(planId: $id) { published complete plan { status } } }"""
TASKS = (
    TASK
    + """query($where: TaskFilter, $first: Int! = 100) {
  inspectionTasks(where: $where, first: $first) { edges { node { ...T } } pageInfo { hasNextPage endCursor } } }"""
)
INDICATORS = """{ supervisionIndicators { byStatus { key count } byStation { key count } overdueTasks randomTasks
  randomInspected randomPublished publicationOverdue randomCompletionRate randomPublicationRate } }"""


def complaint(entity: str, *inspectors: str, station: str | None = "440304009") -> dict[str, object]:
    return {
        "source": "COMPLAINT",
        "uscc": entity,
        "reason": "举报：后厨卫生差",
        "districtCode": "440304",
        "stationCode": station,
        "items": ["FOOD-PREMISES", "FOOD-PROCESSING"],
        "inspectors": list(inspectors),
    }
