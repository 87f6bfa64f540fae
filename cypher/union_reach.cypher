// union_reach: how many distinct accounts would a shortlist of creators reach together?
//
// For the creators in $ids: creators = how many of them exist, total_followers = Σ |A| (the
// duplicated reach), union_reach = |A ∪ B ∪ ...| (distinct followers), exclusive_reach =
// followers who follow exactly one of them, mean_frequency = total_followers / union_reach
// (how many of the creators an average reached account follows).
// Paste into Neo4j Browser first:
// :param ids => ['Set 1', 'Set 2', 'Set 3']
MATCH (c:Account)
WHERE c.id IN $ids
WITH collect(c) AS creators
UNWIND creators AS c
OPTIONAL MATCH (f:Account)-[:FOLLOWS]->(c)
WITH size(creators) AS creators, f, count(c) AS frequency
WHERE f IS NOT NULL
WITH creators, count(f) AS union_reach, toInteger(sum(frequency)) AS total_followers,
     toInteger(sum(CASE WHEN frequency = 1 THEN 1 ELSE 0 END)) AS exclusive_reach
RETURN creators, total_followers, union_reach, exclusive_reach,
       CASE WHEN union_reach > 0 THEN toFloat(total_followers) / union_reach ELSE null END
         AS mean_frequency
