// niche_summary: what does each niche (community) look like?
//
// One row per community (written back by `graphinflu neo4j push`), or only $community when
// given: accounts, micro = accounts in tier 'micro', mean_authority, max_authority,
// mean_engagement = mean engagement_rate (null without posts), top_handles = the $top handles
// with the highest authority. Sorted by accounts, most first, then community.
// Paste into Neo4j Browser first:
// :param community => null
// :param top => 5
MATCH (a:Account)
WHERE a.community IS NOT NULL
  AND ($community IS NULL OR a.community = $community)
WITH a
ORDER BY a.authority DESC, a.id
WITH a.community AS community, count(a) AS accounts,
     toInteger(sum(CASE WHEN a.tier = 'micro' THEN 1 ELSE 0 END)) AS micro,
     avg(a.authority) AS mean_authority, max(a.authority) AS max_authority,
     avg(a.engagement_rate) AS mean_engagement, collect(a.handle) AS handles
RETURN community, accounts, micro, mean_authority, max_authority, mean_engagement,
       handles[0..$top] AS top_handles
ORDER BY accounts DESC, community
