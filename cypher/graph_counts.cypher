// graph_counts: how many accounts and relationships of each type are in the database?
//
// One row per relationship type: type, relationships; plus a row with type = null holding the
// account count in `accounts`. Useful after a push to check nothing is missing or duplicated.
// No parameters.
MATCH (a:Account)
WITH count(a) AS accounts
OPTIONAL MATCH (:Account)-[r]->(:Account)
WITH accounts, type(r) AS type, count(r) AS relationships
RETURN accounts, type, relationships
ORDER BY type
