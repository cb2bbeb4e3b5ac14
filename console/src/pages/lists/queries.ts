// Entity lists: the drill-down behind a chart bar or map tile, and name search.
import { graphql } from "../../gql";

export const ENTITY_LIST = graphql(`
  query EntityList($filter: EntityFilter, $after: String) {
    entities(filter: $filter, first: 50, after: $after) {
      edges {
        node {
          uscc
          name
          status
          entityType
          premises
          district {
            area
          }
          station {
            name
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
