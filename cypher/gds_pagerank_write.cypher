// gds_pagerank_write: PageRank on follows in GDS, written to each account as gds_pagerank.
//
// Authority flows from follower to followed (damping $damping, at most $max_iterations
// iterations, tolerance $tolerance). Run gds_project, then gds_pagerank_estimate, first.
// Returns: nodePropertiesWritten, ranIterations, didConverge, computeMillis.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
// :param damping => 0.85
// :param max_iterations => 100
// :param tolerance => 0.0000001
CALL gds.pageRank.write($graph, {
  relationshipTypes: ['FOLLOWS'],
  dampingFactor: $damping,
  maxIterations: $max_iterations,
  tolerance: $tolerance,
  writeProperty: 'gds_pagerank'
})
YIELD nodePropertiesWritten, ranIterations, didConverge, computeMillis
RETURN nodePropertiesWritten, ranIterations, didConverge, computeMillis
