// EXTENSION POINT — the worklist's sources, in screen order. Each is a component that loads its own rows and shows
// the deadline and legal basis of the step it awaits.
import type { ComponentType } from "react";
import { ApplicationsAwaitingMe } from "../pages/worklist/ApplicationsAwaitingMe";
import { CasesAwaitingMe } from "../pages/worklist/CasesAwaitingMe";
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
  { id: "cases-awaiting-me", subgraph: "enforcement", roles: ["case_officer", "legal_reviewer", "agency_head"], Component: CasesAwaitingMe },
];
