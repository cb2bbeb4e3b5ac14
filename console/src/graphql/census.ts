// The rows the dashboard and the map count. The API has no aggregate counts yet, so these read every row of the
// jurisdiction (capped); each is loaded once per page view and shared by the panels that count it.
import { graphql } from "../gql";
import type { ApplicationCensusQuery, EntityCensusQuery, ExpiringPermitsQuery } from "../gql/graphql";
import { addDays } from "../i18n/format";
import { EXPIRY_HORIZON_DAYS } from "../logic/deadlines";
import { allPages, type AllPages, type GraphQLClient } from "./client";

/** 50 pages of 100: a district's rows at demo scale; a city of millions needs aggregate queries (see README). */
export const MAX_PAGES = 50;

const ENTITY_CENSUS = graphql(`
  query EntityCensus($after: String) {
    entities(first: 100, after: $after) {
      edges {
        node {
          uscc
          status
          entityType
          districtCode
          stationCode
          heldForReview
          creditFlags
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const EXPIRING_PERMITS = graphql(`
  query ExpiringPermits($before: Date!, $after: String) {
    permits(filter: { status: VALID, expiresOnOrBefore: $before }, first: 100, after: $after) {
      edges {
        node {
          id
          number
          kind
          holderUscc
          holderName
          validTo
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const APPLICATION_CENSUS = graphql(`
  query ApplicationCensus($after: String) {
    permitApplications(
      filter: { states: [SUBMITTED, MATERIALS_INCOMPLETE, ACCEPTED, SITE_CHECK, AUTO_CHECKED, APPROVED] }
      first: 100
      after: $after
    ) {
      edges {
        node {
          id
          kind
          action
          state
          applicantUscc
          applicantName
          receivedOn
          materialsDueOn
          siteCheckDueOn
          decisionDueOn
          certificateDueOn
          decisionOverdue
          certificateOverdue
          ruleVersions
          siteCheckRequired
          siteCheck {
            on
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

export type CensusEntity = EntityCensusQuery["entities"]["edges"][number]["node"];
type PermitNode = ExpiringPermitsQuery["permits"]["edges"][number]["node"];
/** A permit with a last day: a filing (备案) has none (validTo null) and never expires, so it is never "expiring". */
export type ExpiringPermit = PermitNode & { validTo: string };

function hasLastDay(edge: { node: PermitNode }): edge is { node: ExpiringPermit } {
  return edge.node.validTo !== null;
}
export type OpenApplication = ApplicationCensusQuery["permitApplications"]["edges"][number]["node"];

const cache = new WeakMap<GraphQLClient, Map<string, Promise<AllPages<unknown>>>>();

function shared<N>(client: GraphQLClient, key: string, load: () => Promise<AllPages<N>>): Promise<AllPages<N>> {
  let entries = cache.get(client);
  if (!entries) cache.set(client, (entries = new Map()));
  let found = entries.get(key) as Promise<AllPages<N>> | undefined;
  if (!found) {
    found = load().then((result) => {
      if (result.errors.length > 0) entries.delete(key); // a failure is not remembered: a retry asks again
      return result;
    });
    entries.set(key, found as Promise<AllPages<unknown>>);
  }
  return found;
}

/** Forget what was loaded (a retry, or the officer asked for fresh numbers). */
export function forget(client: GraphQLClient): void {
  cache.delete(client);
}

export function entityCensus(client: GraphQLClient): Promise<AllPages<CensusEntity>> {
  return shared(client, "entities", () =>
    allPages(async (after) => {
      const { data, errors } = await client.request(ENTITY_CENSUS, { after });
      return { data: data?.entities ?? null, errors };
    }, MAX_PAGES),
  );
}

export function expiringPermits(client: GraphQLClient, today: string): Promise<AllPages<ExpiringPermit>> {
  const before = addDays(today, EXPIRY_HORIZON_DAYS);
  return shared(client, `permits:${before}`, () =>
    allPages(async (after) => {
      const { data, errors } = await client.request(EXPIRING_PERMITS, { before, after });
      const permits = data?.permits;
      return { data: permits ? { ...permits, edges: permits.edges.filter(hasLastDay) } : null, errors };
    }, MAX_PAGES),
  );
}

export function openApplications(client: GraphQLClient): Promise<AllPages<OpenApplication>> {
  return shared(client, "applications", () =>
    allPages(async (after) => {
      const { data, errors } = await client.request(APPLICATION_CENSUS, { after });
      return { data: data?.permitApplications ?? null, errors };
    }, MAX_PAGES),
  );
}
