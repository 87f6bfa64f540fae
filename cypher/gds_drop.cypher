// gds_drop: remove the projection $graph from the GDS catalog (frees its heap). GDS only.
//
// Does nothing (no row) when no projection of that name exists.
// Returns: graphName, nodeCount, relationshipCount.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
CALL gds.graph.drop($graph, false)
YIELD graphName, nodeCount, relationshipCount
RETURN graphName, nodeCount, relationshipCount
