// gds_project: project the follow graph into the GDS catalog as $graph (GDS only).
//
// Three relationship types over every :Account: FOLLOWS (follower -> followed, for PageRank),
// FOLLOWED_BY (followed -> follower, so a creator's neighbours are its audience, for node
// similarity) and FOLLOWS_UNDIRECTED (for Leiden). aggregation 'SINGLE' keeps one relationship
// per pair: a mutual follow is ONE undirected edge, as graphinflu's default --symmetrize
// collapse counts it (without it GDS would keep two parallel edges). graphinflu runs
// gds_project_estimate first and refuses a projection larger than the free heap; drop the
// projection afterwards with gds_drop.
// Returns: graphName, nodeCount, relationshipCount, projectMillis.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
CALL gds.graph.project($graph, 'Account', {
  FOLLOWS: {type: 'FOLLOWS', orientation: 'NATURAL', aggregation: 'SINGLE'},
  FOLLOWED_BY: {type: 'FOLLOWS', orientation: 'REVERSE', aggregation: 'SINGLE'},
  FOLLOWS_UNDIRECTED: {type: 'FOLLOWS', orientation: 'UNDIRECTED', aggregation: 'SINGLE'}
})
YIELD graphName, nodeCount, relationshipCount, projectMillis
RETURN graphName, nodeCount, relationshipCount, projectMillis
