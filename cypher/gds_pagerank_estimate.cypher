// gds_pagerank_estimate: memory needed by gds_pagerank_write on the projection $graph (GDS only).
//
// Same configuration as gds_pagerank_write; graphinflu runs it first.
// Returns: requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
// :param damping => 0.85
// :param max_iterations => 1000
// :param tolerance => 0.0000000001
CALL gds.pageRank.write.estimate($graph, {
  relationshipTypes: ['FOLLOWS'],
  dampingFactor: $damping,
  maxIterations: $max_iterations,
  tolerance: $tolerance,
  scaler: 'L1Norm',
  writeProperty: 'gds_pagerank'
})
YIELD requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
RETURN requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
