// Supervision's and enforcement's numbers and lists for the dashboard: the subgraphs count, the console shows.
import { graphql } from "../gql";

export const SUPERVISION_INDICATORS = graphql(`
  query SupervisionIndicators {
    supervisionIndicators {
      byStatus {
        key
        count
      }
      overdueTasks
      randomTasks
      randomInspected
      randomPublished
      publicationOverdue
      randomCompletionRate
      randomPublicationRate
    }
  }
`);

export const CASE_INDICATORS = graphql(`
  query CaseIndicators {
    caseIndicators {
      stage
      cases
      overdue
    }
  }
`);

export const TASK_LIST = graphql(`
  query TaskList($where: TaskFilter, $after: String) {
    inspectionTasks(where: $where, first: 50, after: $after) {
      edges {
        node {
          id
          source
          uscc
          reason
          status
          dueOn
          dueRule
          overdue
          publishBy
          publishedOn
          publicationOverdue
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CASE_LIST = graphql(`
  query CaseList($filter: CaseFilter, $after: String) {
    cases(filter: $filter, first: 50, after: $after) {
      edges {
        node {
          id
          stage
          partyUscc
          summary
          discoveredOn
          stageDueOn
          overdue
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The open tasks of the jurisdiction with their inspectors, for "my tasks" (the API has no assignee filter yet). */
export const MY_TASKS = graphql(`
  query MyTasks($after: String) {
    inspectionTasks(where: { statuses: [ASSIGNED, IN_PROGRESS] }, first: 100, after: $after) {
      edges {
        node {
          id
          source
          uscc
          reason
          status
          dueOn
          dueRule
          overdue
          publishBy
          publishedOn
          publicationOverdue
          inspectors
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Cases whose next step is for one of my roles (the API decides by role, stage and procedure). */
export const CASES_AWAITING_ME = graphql(`
  query CasesAwaitingMe($after: String) {
    cases(filter: { awaitingMe: true }, first: 100, after: $after) {
      edges {
        node {
          id
          stage
          partyUscc
          summary
          nextSteps {
            action
            stage
            role
            mine
            documentsMissing
            dueOn
            overdue
            basis
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
