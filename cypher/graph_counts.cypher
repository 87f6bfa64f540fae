// graph_counts: how many accounts and relationships of each type are in the database?
//
// One row per relationship type graphinflu writes that is present: accounts, type,
// relationships (or one row with type = null and 0 when there are none). Every number comes from
// Neo4j's count store (NodeCountFromCountStore, RelationshipCountFromCountStore), so it answers
// at once however big the graph is; nothing is scanned. Useful after a push to check nothing is
// missing or duplicated. FalkorDB has no count store: graphinflu runs graph_counts_scan there.
// No parameters.
MATCH (a:Account)
WITH count(a) AS accounts
WITH accounts, [pair IN [
  ['FOLLOWS', COUNT { ()-[:FOLLOWS]->() }],
  ['MENTIONS', COUNT { ()-[:MENTIONS]->() }],
  ['REPLIES', COUNT { ()-[:REPLIES]->() }],
  ['REPOSTS', COUNT { ()-[:REPOSTS]->() }],
  ['LIKES', COUNT { ()-[:LIKES]->() }],
  ['COMMENTS', COUNT { ()-[:COMMENTS]->() }],
  ['TAGS', COUNT { ()-[:TAGS]->() }],
  ['SPONSORS', COUNT { ()-[:SPONSORS]->() }],
  ['SHARES_AUDIENCE', COUNT { ()-[:SHARES_AUDIENCE]->() }],
  ['SIMILAR_AUDIENCE', COUNT { ()-[:SIMILAR_AUDIENCE]->() }]
] WHERE pair[1] > 0] AS present
UNWIND CASE WHEN size(present) = 0 THEN [[null, 0]] ELSE present END AS pair
RETURN accounts, pair[0] AS type, pair[1] AS relationships
ORDER BY type
