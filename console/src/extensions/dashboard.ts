// EXTENSION POINT — the dashboard's panels, in screen order. A domain adds its panels by appending components here.
// A panel is a component that loads its own data (useLoad) inside a <LoadedPanel>, so a subgraph that is down
// shows that panel's error and nothing else; its chart drills down to a list page (see src/pages/lists/).
import type { ComponentType } from "react";
import { CasesByStage, InspectionTasks, KitchenAlerts, RandomInspectionPlans } from "../pages/dashboard/oversightPanels";
import { ApplicationsByDeadline, EntitiesByStatus, EntitiesByType, PermitsExpiring } from "../pages/dashboard/panels";

export interface DashboardPanel {
  id: string;
  /** The subgraph that feeds it (for the operator: which panel goes dark when which service is down). */
  subgraph: string;
  Component: ComponentType;
}

export const DASHBOARD_PANELS: readonly DashboardPanel[] = [
  { id: "entities-by-status", subgraph: "entities", Component: EntitiesByStatus },
  { id: "entities-by-type", subgraph: "entities", Component: EntitiesByType },
  { id: "permits-expiring", subgraph: "permits", Component: PermitsExpiring },
  { id: "applications-by-deadline", subgraph: "permits", Component: ApplicationsByDeadline },
  { id: "inspection-tasks", subgraph: "supervision", Component: InspectionTasks },
  { id: "random-inspection-plans", subgraph: "supervision", Component: RandomInspectionPlans },
  { id: "cases-by-stage", subgraph: "enforcement", Component: CasesByStage },
  { id: "kitchen-alerts", subgraph: "detection", Component: KitchenAlerts },
];
