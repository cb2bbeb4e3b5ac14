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

export const ENTITY_FILE = graphql(`
  query EntityFile($uscc: String!, $withPermits: Boolean! = true) {
    entity(uscc: $uscc) {
      ...RegistrationSection
      ...CreditSection
      ...PermitsSection @include(if: $withPermits)
    }
  }
`);

export type FileEntity = NonNullable<EntityFileQuery["entity"]>;
