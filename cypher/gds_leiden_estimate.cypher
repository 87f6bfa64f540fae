// gds_leiden_estimate: memory needed by gds_leiden_write on the projection $graph (GDS only).
//
// Same configuration as gds_leiden_write; graphinflu runs it first.
// Returns: requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
// :param resolution => 1.0
// :param theta => 0.01
// :param max_levels => 10
// :param tolerance => 0.0001
// :param seed => 42
CALL gds.leiden.write.estimate($graph, {
  relationshipTypes: ['FOLLOWS_UNDIRECTED'],
  gamma: $resolution,
  theta: $theta,
  maxLevels: $max_levels,
  tolerance: $tolerance,
  randomSeed: $seed,
  concurrency: 1,
  writeProperty: 'gds_community'
})
YIELD requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
RETURN requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
