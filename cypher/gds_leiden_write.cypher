// gds_leiden_write: Leiden communities (modularity, resolution gamma = $resolution) in GDS.
//
// Follows are read as undirected edges; the community id is written to each account as
// gds_community (ids are GDS's, not ordered by size as graphinflu's `community` is). $seed
// fixes the random choices. Run gds_project, then gds_leiden_estimate, first.
// Returns: communityCount, modularity, ranLevels, nodePropertiesWritten, computeMillis.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
// :param resolution => 1.0
// :param seed => 42
CALL gds.leiden.write($graph, {
  relationshipTypes: ['FOLLOWS_UNDIRECTED'],
  gamma: $resolution,
  randomSeed: $seed,
  writeProperty: 'gds_community'
})
YIELD communityCount, modularity, ranLevels, nodePropertiesWritten, computeMillis
RETURN communityCount, modularity, ranLevels, nodePropertiesWritten, computeMillis
