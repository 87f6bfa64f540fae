// audience_overlap_list: which pairs in a list of creators share the most audience?
//
// For every pair of creators in $ids with at least $min_shared shared followers (pairs sharing
// nothing are not listed): creator_a < creator_b (ids), audience_a = |A|, audience_b = |B|,
// shared = |A ∩ B|, jaccard = shared / |A ∪ B|, overlap_coefficient = shared / min(|A|, |B|),
// share_a_in_b = shared / |A|, share_b_in_a = shared / |B|. Sorted by shared, most first.
// Each follower is visited once (the B·Bᵀ product of the creators × audience matrix).
// Paste into Neo4j Browser first:
// :param ids => ['Set 1', 'Set 2', 'Set 3']
// :param min_shared => 1
MATCH (f:Account)-[:FOLLOWS]->(c:Account)
WHERE c.id IN $ids
WITH f, collect(c.id) AS followed
UNWIND followed AS x
UNWIND followed AS y
WITH x, y
WHERE x < y
WITH x, y, count(*) AS shared
WHERE shared >= $min_shared
MATCH (a:Account {id: x})
MATCH (b:Account {id: y})
OPTIONAL MATCH (a)<-[:FOLLOWS]-(fa:Account)
WITH a, b, shared, count(fa) AS audience_a
OPTIONAL MATCH (b)<-[:FOLLOWS]-(fb:Account)
WITH a, b, shared, audience_a, count(fb) AS audience_b
RETURN a.id AS creator_a, b.id AS creator_b, audience_a, audience_b, shared,
       toFloat(shared) / (audience_a + audience_b - shared) AS jaccard,
       toFloat(shared) / CASE WHEN audience_a < audience_b THEN audience_a ELSE audience_b END
         AS overlap_coefficient,
       toFloat(shared) / audience_a AS share_a_in_b,
       toFloat(shared) / audience_b AS share_b_in_a
ORDER BY shared DESC, creator_a, creator_b
