// gds_project_estimate: how much heap would projecting the follow graph into GDS need? (GDS only)
//
// Run before gds_project (graphinflu does). The same projection: every :Account, FOLLOWS in
// three orientations, one relationship per pair.
// Returns: requiredMemory (human readable), bytesMin, bytesMax, nodeCount, relationshipCount.
// No parameters.
CALL gds.graph.project.estimate('Account', {
  FOLLOWS: {type: 'FOLLOWS', orientation: 'NATURAL', aggregation: 'SINGLE'},
  FOLLOWED_BY: {type: 'FOLLOWS', orientation: 'REVERSE', aggregation: 'SINGLE'},
  FOLLOWS_UNDIRECTED: {type: 'FOLLOWS', orientation: 'UNDIRECTED', aggregation: 'SINGLE'}
})
YIELD requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
RETURN requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
