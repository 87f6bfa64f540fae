// load_interactions: create interaction relationships with their weight and latest timestamp.
//
// Each row is {s: source id, t: target id, w: weight (count of interactions), ts: the time of
// the latest one, a datetime (UTC) or null; graphinflu sends Neo4j datetime values and the
// embedded FalkorDB, which has no zoned datetime, epoch seconds}. The type here is MENTIONS; graphinflu runs the same statement with MENTIONS
// replaced by another type from its allow-list (REPLIES, REPOSTS, LIKES, COMMENTS, TAGS,
// SPONSORS), never by text from the input. To load another kind in Browser, edit the type.
// A relationship whose weight and time are stored already is not written again.
// Paste into Neo4j Browser first:
// :param rows => [{s: '1001', t: '2002', w: 3.0, ts: datetime('2023-11-14T22:13:20Z')}]
UNWIND $rows AS row
MATCH (a:Account {id: row.s})
MATCH (b:Account {id: row.t})
MERGE (a)-[r:MENTIONS]->(b)
WITH r, row
WHERE r.weight IS NULL OR r.weight <> row.w OR (r.timestamp IS NULL) <> (row.ts IS NULL) OR r.timestamp <> row.ts
SET r.weight = row.w, r.timestamp = row.ts
