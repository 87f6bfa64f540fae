// gds_project_estimate: how much heap would projecting the follow graph into GDS need? (GDS only)
//
// Run before gds_project. Same projection: every :Account, FOLLOWS in three orientations.
// Returns: requiredMemory (human readable), bytesMin, bytesMax, nodeCount, relationshipCount.
// No parameters.
CALL gds.graph.project.estimate('Account', {
  FOLLOWS: {type: 'FOLLOWS', orientation: 'NATURAL'},
  FOLLOWED_BY: {type: 'FOLLOWS', orientation: 'REVERSE'},
  FOLLOWS_UNDIRECTED: {type: 'FOLLOWS', orientation: 'UNDIRECTED'}
})
YIELD requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
RETURN requiredMemory, bytesMin, bytesMax, nodeCount, relationshipCount
