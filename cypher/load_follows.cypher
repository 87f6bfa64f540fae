// load_follows: create follow relationships (follower)-[:FOLLOWS]->(followed), in batches.
//
// Each row is {s: follower id, t: followed id}. Both accounts must already exist (load
// load_accounts first): MATCH on the indexed id, then MERGE the relationship, so a re-run
// creates nothing new.
// Paste into Neo4j Browser first:
// :param rows => [{s: '1001', t: '2002'}]
UNWIND $rows AS row
MATCH (a:Account {id: row.s})
MATCH (b:Account {id: row.t})
MERGE (a)-[:FOLLOWS]->(b)
