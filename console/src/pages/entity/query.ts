// 一户一档 as one federated query: each section is a fragment on MarketEntity, the optional ones behind an
// @include flag so a section whose subgraph is down can be left out while the rest still loads (logic/sections.ts).
//
// EXTENSION POINT — a domain adds its section with: a fragment here (MarketEntity fields its subgraph contributes,
// e.g. `inspections`, `riskGrade`, `cases`, `samplingResults`, `kitchenAlerts`), a `...Fragment @include(if: $withX)`
// line and a `$withX: Boolean! = true` variable in ENTITY_FILE, and an entry in ENTITY_SECTIONS (sections.tsx).
import { graphql } from "../../gql";
import type { EntityFileQuery } from "../../gql/graphql";

export const REGISTRATION_FRAGMENT = graphql(`
  fragment RegistrationSection on MarketEntity {
    uscc
    name
    entityType
    status
    suspendedUntil
    establishedOn
    legalRepresentative {
      name
    }
    domicile
    premises
    businessScope
    heldForReview
    district {
      name
      area
    }
    supervisingOrg {
      name
      path
    }
  }
`);

export const CREDIT_FRAGMENT = graphql(`
  fragment CreditSection on MarketEntity {
    creditFlags
    abnormalListings {
      id
      reasonCode
      basis
      listedOn
      removedOn
      active
    }
    seriousListings {
      id
      reasonCode
      basis
      listedOn
      removedOn
      active
    }
    holdReasons {
      reason
      detail
      raisedOn
    }
  }
`);

export const PERMITS_FRAGMENT = graphql(`
  fragment PermitsSection on MarketEntity {
    permits {
      id
      number
      kind
      status
      statusReason
      validFrom
      validTo
      issuingOrg
      items {
        code
        name
      }
      renewalWindow {
        opensOn
        dueBy
        rules {
          basis
        }
      }
      statusHistory {
        fromStatus
        toStatus
        at
        reason
      }
    }
  }
`);

export const SUPERVISION_FRAGMENT = graphql(`
  fragment SupervisionSection on MarketEntity {
    riskGrade
    nextInspectionDue {
      dueOn
      rule
      overdue
      lastInspectedOn
    }
    inspections {
      id
      inspectedOn
      outcome
      notes
    }
    openTasks {
      id
      source
      status
      dueOn
      overdue
    }
  }
`);

export const ENFORCEMENT_FRAGMENT = graphql(`
  fragment EnforcementSection on MarketEntity {
    cases {
      id
      stage
      summary
      discoveredOn
      stageDueOn
      overdue
    }
    penaltyPublicity {
      caseId
      penalties
      fine
      decidedOn
      status
      publishedOn
      displayUntil
      active
    }
  }
`);

export const DETECTION_FRAGMENT = graphql(`
  fragment DetectionSection on MarketEntity {
    samplingResults {
      id
      samplingNo
      foodName
      sampledOn
      state
    }
    kitchenAlerts {
      id
      category
      state
      capturedAt
    }
  }
`);

export const ENTITY_FILE = graphql(`
  query EntityFile(
    $uscc: String!
    $withPermits: Boolean! = true
    $withSupervision: Boolean! = true
    $withEnforcement: Boolean! = true
    $withDetection: Boolean! = true
  ) {
    entity(uscc: $uscc) {
      ...RegistrationSection
      ...CreditSection
      ...PermitsSection @include(if: $withPermits)
      ...SupervisionSection @include(if: $withSupervision)
      ...EnforcementSection @include(if: $withEnforcement)
      ...DetectionSection @include(if: $withDetection)
    }
  }
`);

export type FileEntity = NonNullable<EntityFileQuery["entity"]>;
