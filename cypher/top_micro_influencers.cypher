// top_micro_influencers: who are the strongest micro-influencers in a niche, by authority?
//
// Accounts in follower tier $tier (written back by `graphinflu neo4j push`: nano < 1,000 <=
// micro < 50,000 <= mid ...), optionally only in community $community and/or profile category
// $category (null = any), ranked by authority (HITS authority score, written back), ties by id.
// Returns: id, handle, followers, tier, community, category, authority, pagerank.
// Paste into Neo4j Browser first:
// :param tier => 'micro'
// :param community => null
// :param category => null
// :param limit => 25
MATCH (a:Account)
WHERE a.tier = $tier
  AND a.authority IS NOT NULL
  AND ($community IS NULL OR a.community = $community)
  AND ($category IS NULL OR a.category = $category)
RETURN a.id AS id, a.handle AS handle, a.followers AS followers, a.tier AS tier,
       a.community AS community, a.category AS category, a.authority AS authority,
       a.pagerank AS pagerank
ORDER BY authority DESC, id
LIMIT $limit
