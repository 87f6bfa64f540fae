// schema: the constraint and indexes graphinflu's loads and questions rely on (Neo4j 5).
//
// Run once per database before loading; every statement is idempotent (IF NOT EXISTS).
// The uniqueness constraint also creates the index that every MERGE on :Account(id) uses.
// No parameters. FalkorDB has no CREATE CONSTRAINT: graphinflu creates a plain index on
// :Account(id) there instead.
CREATE CONSTRAINT account_id IF NOT EXISTS
FOR (a:Account) REQUIRE a.id IS UNIQUE;

CREATE INDEX account_handle IF NOT EXISTS
FOR (a:Account) ON (a.handle);

CREATE INDEX account_community IF NOT EXISTS
FOR (a:Account) ON (a.community);

CREATE INDEX account_tier IF NOT EXISTS
FOR (a:Account) ON (a.tier);

CREATE INDEX account_category IF NOT EXISTS
FOR (a:Account) ON (a.category)
