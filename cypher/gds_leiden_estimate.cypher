// gds_leiden_estimate: memory needed by gds_leiden_write on the projection $graph (GDS only).
//
// Returns: requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
// :param resolution => 1.0
CALL gds.leiden.write.estimate($graph, {
  relationshipTypes: ['FOLLOWS_UNDIRECTED'],
  gamma: $resolution,
  writeProperty: 'gds_community'
})
YIELD requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
RETURN requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
