// write_overlap: store audience overlap between creators as (a)-[:SHARES_AUDIENCE]->(b).
//
// One relationship per unordered pair, from the creator with the smaller id (a < b), with
// shared = followers of both, jaccard = shared / (|A| + |B| - shared) and overlap_coefficient =
// shared / min(|A|, |B|). Read it undirected: (a)-[:SHARES_AUDIENCE]-(b). Pairs stored with
// the same values already are not written again.
// Paste into Neo4j Browser first:
// :param rows => [{a: '1001', b: '2002', shared: 120, jaccard: 0.08, overlap_coefficient: 0.2}]
UNWIND $rows AS row
MATCH (a:Account {id: row.a})
MATCH (b:Account {id: row.b})
MERGE (a)-[r:SHARES_AUDIENCE]->(b)
WITH r, row
WHERE r.shared IS NULL OR r.shared <> row.shared OR r.jaccard <> row.jaccard
   OR r.overlap_coefficient <> row.overlap_coefficient
SET r.shared = row.shared, r.jaccard = row.jaccard, r.overlap_coefficient = row.overlap_coefficient
