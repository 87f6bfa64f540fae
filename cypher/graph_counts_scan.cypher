// graph_counts_scan: graph_counts by scanning every relationship (for FalkorDB, which has no count store).
//
// One row per relationship type: type, relationships; plus a row with type = null holding the
// account count in `accounts`. graphinflu runs it for graph_counts on FalkorDB; on Neo4j,
// graph_counts reads the count store instead.
// No parameters.
MATCH (a:Account)
WITH count(a) AS accounts
OPTIONAL MATCH (:Account)-[r]->(:Account)
WITH accounts, type(r) AS type, count(r) AS relationships
RETURN accounts, type, relationships
ORDER BY type
