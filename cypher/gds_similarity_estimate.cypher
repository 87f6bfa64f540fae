// gds_similarity_estimate: memory needed by gds_similarity_write on $graph (GDS only).
//
// The same configuration as gds_similarity_write, node filters included (the accounts of tier
// $tier); graphinflu runs it first.
// Returns: requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
// :param tier => 'micro'
// :param top_k => 10
// :param cutoff => 0.01
MATCH (c:Account)
WHERE c.tier = $tier
WITH collect(c) AS creators
CALL gds.nodeSimilarity.filtered.write.estimate($graph, {
  relationshipTypes: ['FOLLOWED_BY'],
  sourceNodeFilter: creators,
  targetNodeFilter: creators,
  similarityMetric: 'JACCARD',
  topK: $top_k,
  similarityCutoff: $cutoff,
  writeRelationshipType: 'SIMILAR_AUDIENCE',
  writeProperty: 'jaccard'
})
YIELD requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
RETURN requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
