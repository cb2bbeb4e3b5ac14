// EXTENSION POINT — the worklist's sources, in screen order. Each is a component that loads its own rows and shows
// the deadline and legal basis of the step it awaits. To come with their subgraphs:
//   enforcement:  cases awaiting my step (立案/调查/审核/决定), with the 办案时限 of that step
import type { ComponentType } from "react";
import { ApplicationsAwaitingMe } from "../pages/worklist/ApplicationsAwaitingMe";
import { MyInspectionTasks } from "../pages/worklist/MyInspectionTasks";

export interface WorklistSource {
  id: string;
  subgraph: string;
  /** Roles the source is shown to; the API decides what each may do. */
  roles: readonly string[];
  Component: ComponentType;
}

export const WORKLIST_SOURCES: readonly WorklistSource[] = [
  { id: "my-inspection-tasks", subgraph: "supervision", roles: ["inspector"], Component: MyInspectionTasks },
  { id: "permit-applications", subgraph: "permits", roles: ["inspector", "case_officer", "admin"], Component: ApplicationsAwaitingMe },
];
