// gds_pagerank_write: PageRank on follows in GDS, written to each account as gds_pagerank.
//
// Authority flows from follower to followed (damping $damping, at most $max_iterations
// iterations, tolerance $tolerance). scaler 'L1Norm' divides the scores by their sum, so they sum
// to 1 like graphinflu's `pagerank`, and then they are the same numbers: GDS lets the rank of
// accounts that follow nobody leak away where graphinflu (like NetworkX) hands it back to every
// account evenly, but with an even teleport both give the same ranking up to one factor, which
// the scaling removes. Run gds_project, then gds_pagerank_estimate, first.
// Returns: nodePropertiesWritten, ranIterations, didConverge, computeMillis.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
// :param damping => 0.85
// :param max_iterations => 1000
// :param tolerance => 0.0000000001
CALL gds.pageRank.write($graph, {
  relationshipTypes: ['FOLLOWS'],
  dampingFactor: $damping,
  maxIterations: $max_iterations,
  tolerance: $tolerance,
  scaler: 'L1Norm',
  writeProperty: 'gds_pagerank'
})
YIELD nodePropertiesWritten, ranIterations, didConverge, computeMillis
RETURN nodePropertiesWritten, ranIterations, didConverge, computeMillis
