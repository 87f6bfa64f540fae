// write_metrics: write graphinflu's findings back onto existing accounts as properties.
//
// Each row is {id: string, props: map}, e.g. props = {authority: 0.0012, pagerank: 0.0009,
// community: 3, tier: 'micro', followers: 14000, engagement_rate: 0.031}. Accounts missing from
// the database are skipped (MATCH, not MERGE). Accounts whose values are all stored already are
// not written again, so re-running with the same values changes nothing.
// Paste into Neo4j Browser first:
// :param rows => [{id: '1001', props: {authority: 0.0012, community: 3, tier: 'micro'}}]
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
WITH a, row
WHERE any(k IN keys(row.props) WHERE a[k] IS NULL OR a[k] <> row.props[k])
SET a += row.props
