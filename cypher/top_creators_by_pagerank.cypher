// top_creators_by_pagerank: who are the top creators of a niche by PageRank?
//
// Accounts of community $community (null = every niche) and, optionally, follower tier $tier
// (null = any), ranked by PageRank on follows (written back by `graphinflu neo4j push`: the
// share of attention that flows to each account through the follow graph; it sums to 1 over
// the graph), ties by id. Returns: id, handle, community, niche_label, tier, followers,
// pagerank, authority.
// Paste into Neo4j Browser first:
// :param community => 0
// :param tier => null
// :param limit => 10
MATCH (a:Account)
WHERE a.pagerank IS NOT NULL
  AND ($community IS NULL OR a.community = $community)
  AND ($tier IS NULL OR a.tier = $tier)
RETURN a.id AS id, a.handle AS handle, a.community AS community, a.niche_label AS niche_label,
       a.tier AS tier, a.followers AS followers, a.pagerank AS pagerank, a.authority AS authority
ORDER BY pagerank DESC, id
LIMIT $limit
