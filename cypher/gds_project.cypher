// gds_project: project the follow graph into the GDS catalog as $graph (GDS only).
//
// Three relationship types over every :Account: FOLLOWS (follower -> followed, for PageRank),
// FOLLOWED_BY (followed -> follower, so a creator's neighbours are its audience, for node
// similarity) and FOLLOWS_UNDIRECTED (for Leiden). Run gds_project_estimate first; drop the
// projection afterwards with gds_drop.
// Returns: graphName, nodeCount, relationshipCount, projectMillis.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
CALL gds.graph.project($graph, 'Account', {
  FOLLOWS: {type: 'FOLLOWS', orientation: 'NATURAL'},
  FOLLOWED_BY: {type: 'FOLLOWS', orientation: 'REVERSE'},
  FOLLOWS_UNDIRECTED: {type: 'FOLLOWS', orientation: 'UNDIRECTED'}
})
YIELD graphName, nodeCount, relationshipCount, projectMillis
RETURN graphName, nodeCount, relationshipCount, projectMillis
