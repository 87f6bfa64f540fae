// lookalikes: which accounts have the audience most like this creator's?
//
// Every other account c followed by at least $min_shared of the followers of $id, ranked by
// jaccard = |A ∩ C| / |A ∪ C| (ties: more shared first, then id); optionally only in tier
// $tier and community $community (null = any). Returns: id, handle, audience_size = |C|,
// shared = |A ∩ C|, jaccard, overlap_coefficient = |A ∩ C| / min(|A|, |C|), share_of_account =
// |A ∩ C| / |A|, share_of_candidate = |A ∩ C| / |C|.
// Paste into Neo4j Browser first:
// :param id => 'Set 1'
// :param min_shared => 1
// :param tier => null
// :param community => null
// :param limit => 20
MATCH (a:Account {id: $id})
OPTIONAL MATCH (a)<-[:FOLLOWS]-(fa:Account)
WITH a, count(fa) AS audience_a
MATCH (a)<-[:FOLLOWS]-(f:Account)-[:FOLLOWS]->(c:Account)
WHERE c <> a
  AND ($tier IS NULL OR c.tier = $tier)
  AND ($community IS NULL OR c.community = $community)
WITH a, audience_a, c, count(DISTINCT f) AS shared
WHERE shared >= $min_shared
OPTIONAL MATCH (c)<-[:FOLLOWS]-(fc:Account)
WITH audience_a, c, shared, count(fc) AS audience_c
RETURN c.id AS id, c.handle AS handle, audience_c AS audience_size, shared,
       toFloat(shared) / (audience_a + audience_c - shared) AS jaccard,
       toFloat(shared) / CASE WHEN audience_a < audience_c THEN audience_a ELSE audience_c END
         AS overlap_coefficient,
       toFloat(shared) / audience_a AS share_of_account,
       toFloat(shared) / audience_c AS share_of_candidate
ORDER BY jaccard DESC, shared DESC, id
LIMIT $limit
