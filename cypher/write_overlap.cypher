// write_overlap: store audience overlap between creators as (a)-[:SHARES_AUDIENCE]->(b).
//
// One relationship per unordered pair, from the creator with the smaller id (a < b), with
// shared = followers of both, jaccard = shared / (|A| + |B| - shared) and overlap_coefficient =
// shared / min(|A|, |B|). Read it undirected: (a)-[:SHARES_AUDIENCE]-(b).
// Paste into Neo4j Browser first:
// :param rows => [{a: '1001', b: '2002', shared: 120, jaccard: 0.08, overlap_coefficient: 0.2}]
UNWIND $rows AS row
MATCH (a:Account {id: row.a})
MATCH (b:Account {id: row.b})
MERGE (a)-[r:SHARES_AUDIENCE]->(b)
SET r.shared = row.shared, r.jaccard = row.jaccard, r.overlap_coefficient = row.overlap_coefficient
