// audience_overlap_pair: how much do the audiences (followers) of two creators overlap?
//
// Returns one row: creator_a, creator_b, audience_a = |A| (accounts following a), audience_b =
// |B|, shared = |A ∩ B| (following both), union_reach = |A ∪ B|, jaccard = shared / |A ∪ B|,
// overlap_coefficient = shared / min(|A|, |B|), share_a_in_b = shared / |A| (share of a's
// audience that also follows b), share_b_in_a = shared / |B|. No row if either id is unknown.
// Paste into Neo4j Browser first:
// :param a => 'Set 1'
// :param b => 'Set 2'
MATCH (a:Account {id: $a})
MATCH (b:Account {id: $b})
OPTIONAL MATCH (a)<-[:FOLLOWS]-(f:Account)-[:FOLLOWS]->(b)
WITH a, b, count(DISTINCT f) AS shared
OPTIONAL MATCH (a)<-[:FOLLOWS]-(fa:Account)
WITH a, b, shared, count(fa) AS audience_a
OPTIONAL MATCH (b)<-[:FOLLOWS]-(fb:Account)
WITH a, b, shared, audience_a, count(fb) AS audience_b
WITH a, b, shared, audience_a, audience_b, audience_a + audience_b - shared AS union_reach
RETURN a.id AS creator_a, b.id AS creator_b, audience_a, audience_b, shared, union_reach,
       CASE WHEN union_reach > 0 THEN toFloat(shared) / union_reach ELSE 0.0 END AS jaccard,
       CASE WHEN audience_a > 0 AND audience_b > 0
            THEN toFloat(shared) / CASE WHEN audience_a < audience_b THEN audience_a ELSE audience_b END
            ELSE 0.0 END AS overlap_coefficient,
       CASE WHEN audience_a > 0 THEN toFloat(shared) / audience_a ELSE 0.0 END AS share_a_in_b,
       CASE WHEN audience_b > 0 THEN toFloat(shared) / audience_b ELSE 0.0 END AS share_b_in_a
