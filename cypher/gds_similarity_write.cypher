// gds_similarity_write: lookalike creators by audience (filtered node similarity in GDS).
//
// Compares the audiences (followers, gds_project's FOLLOWED_BY) of the accounts in tier $tier
// with each other, Jaccard = |A ∩ B| / |A ∪ B| — the `jaccard` of graphinflu's overlap table and
// of audience_overlap_list — and writes each one's $top_k most similar (at least $cutoff) as
// (a)-[:SIMILAR_AUDIENCE {jaccard}]->(b). Run gds_project, then gds_similarity_estimate, first.
// Returns: nodesCompared, relationshipsWritten, computeMillis.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
// :param tier => 'micro'
// :param top_k => 10
// :param cutoff => 0.01
MATCH (c:Account)
WHERE c.tier = $tier
WITH collect(c) AS creators
CALL gds.nodeSimilarity.filtered.write($graph, {
  relationshipTypes: ['FOLLOWED_BY'],
  sourceNodeFilter: creators,
  targetNodeFilter: creators,
  similarityMetric: 'JACCARD',
  topK: $top_k,
  similarityCutoff: $cutoff,
  writeRelationshipType: 'SIMILAR_AUDIENCE',
  writeProperty: 'jaccard'
})
YIELD nodesCompared, relationshipsWritten, computeMillis
RETURN nodesCompared, relationshipsWritten, computeMillis
