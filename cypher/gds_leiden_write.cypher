// gds_leiden_write: Leiden communities (modularity, resolution gamma = $resolution) in GDS.
//
// Follows are read as undirected edges, a mutual follow once (gds_project's aggregation
// 'SINGLE', graphinflu's --symmetrize collapse); the community id is written to each account as
// gds_community (ids are GDS's, not ordered by size as graphinflu's `community` is). theta
// ($theta, the refinement's randomness) and the resolution are graphinflu's defaults; $seed with
// one thread makes the run repeatable. GDS iterates levels until the modularity gain is below
// $tolerance (at most $max_levels); graphinflu runs 2 iterations by default, so the partitions
// differ, with modularity within 0.01 of graphinflu's on the shared datasets. Run gds_project,
// then gds_leiden_estimate, first.
// Returns: communityCount, modularity, ranLevels, nodePropertiesWritten, computeMillis.
// Paste into Neo4j Browser first:
// :param graph => 'graphinflu'
// :param resolution => 1.0
// :param theta => 0.01
// :param max_levels => 10
// :param tolerance => 0.0001
// :param seed => 42
CALL gds.leiden.write($graph, {
  relationshipTypes: ['FOLLOWS_UNDIRECTED'],
  gamma: $resolution,
  theta: $theta,
  maxLevels: $max_levels,
  tolerance: $tolerance,
  randomSeed: $seed,
  concurrency: 1,
  writeProperty: 'gds_community'
})
YIELD communityCount, modularity, ranLevels, nodePropertiesWritten, computeMillis
RETURN communityCount, modularity, ranLevels, nodePropertiesWritten, computeMillis
