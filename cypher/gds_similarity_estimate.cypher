// gds_similarity_estimate: memory needed by gds_similarity_write on $graph (GDS only).
//
// Returns: requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
// :param top_k => 10
CALL gds.nodeSimilarity.filtered.write.estimate($graph, {
  relationshipTypes: ['FOLLOWED_BY'],
  similarityMetric: 'JACCARD',
  topK: $top_k,
  writeRelationshipType: 'SIMILAR_AUDIENCE',
  writeProperty: 'jaccard'
})
YIELD requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
RETURN requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
