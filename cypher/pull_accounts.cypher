// pull_accounts: read accounts and all their properties (graphinflu neo4j pull uses it).
//
// Returns: id, props (a map of every property). graphinflu runs it with :Account replaced by
// another label only when the database reports that label (CALL db.labels()).
// No parameters.
MATCH (a:Account)
RETURN a.id AS id, properties(a) AS props
