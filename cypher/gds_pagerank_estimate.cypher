// gds_pagerank_estimate: memory needed by gds_pagerank_write on the projection $graph (GDS only).
//
// Returns: requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
// :param damping => 0.85
CALL gds.pageRank.write.estimate($graph, {
  relationshipTypes: ['FOLLOWS'],
  dampingFactor: $damping,
  writeProperty: 'gds_pagerank'
})
YIELD requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
RETURN requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
