// The alert review's operations: the list, the live feed (subscription), and the review and verification steps.
import { graphql } from "../../gql";
import type { ReviewedAlertFragment } from "../../gql/graphql";

export const REVIEWED_ALERT = graphql(`
  fragment ReviewedAlert on KitchenAlert {
    id
    state
    category
    confidence
    capturedAt
    cameraId
    deviceId
    uscc
    frameRef
    frameSha256
    modelName
    modelVersion
    reviewNote
    rectifyBy
    boxes {
      x
      y
      w
      h
      confidence
    }
    transitions {
      fromState
      toState
      actor
      at
      reason
    }
    rectification {
      statement
      submittedAt
      by
      photos {
        ref
        sha256
      }
    }
    entity {
      uscc
      name
    }
  }
`);

export const REVIEW_ALERTS = graphql(`
  query ReviewAlerts($states: [AlertState!]) {
    kitchenAlerts(states: $states) {
      ...ReviewedAlert
    }
  }
`);

export const LIVE_ALERTS = graphql(`
  subscription LiveAlerts {
    kitchenAlerts {
      ...ReviewedAlert
    }
  }
`);

export const START_REVIEW = graphql(`
  mutation StartAlertReview($id: ID!) {
    startAlertReview(id: $id) {
      alert {
        ...ReviewedAlert
      }
    }
  }
`);

export const DECIDE_REVIEW = graphql(`
  mutation DecideAlertReview($id: ID!, $confirm: Boolean!, $note: String!) {
    decideAlertReview(id: $id, confirm: $confirm, note: $note) {
      alert {
        ...ReviewedAlert
      }
    }
  }
`);

export const VERIFY_RECTIFICATION = graphql(`
  mutation VerifyRectification($id: ID!, $passed: Boolean!, $note: String!) {
    verifyRectification(id: $id, passed: $passed, note: $note) {
      alert {
        ...ReviewedAlert
      }
    }
  }
`);

export type Alert = ReviewedAlertFragment;
