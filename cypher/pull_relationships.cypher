// pull_relationships: read relationships of one type between accounts (graphinflu neo4j pull).
//
// Returns: source, target (account ids), weight, timestamp (null when not stored). The type here
// is FOLLOWS; graphinflu replaces it by another type from its allow-list (MENTIONS, REPLIES,
// REPOSTS, LIKES, COMMENTS, TAGS, SPONSORS), never by text from the input.
// No parameters.
MATCH (a:Account)-[r:FOLLOWS]->(b:Account)
RETURN a.id AS source, b.id AS target, r.weight AS weight, r.timestamp AS timestamp
