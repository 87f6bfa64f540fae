// metrics_runs: which analyses computed the metrics stored on these accounts?
//
// Every `graphinflu neo4j push` tags the metrics it writes with its run (graphinflu_run: a digest
// of the graph and the analysis parameters) and the parameters themselves (graphinflu_params,
// JSON). For the accounts in $ids that hold metrics of a run other than $run: run, params,
// accounts (how many). push asks this before writing, and refuses without --overwrite.
// Paste into Neo4j Browser first:
// :param ids => ['Set 1', 'Set 2']
// :param run => ''
UNWIND $ids AS id
MATCH (a:Account {id: id})
WHERE a.graphinflu_run IS NOT NULL AND a.graphinflu_run <> $run
RETURN a.graphinflu_run AS run, a.graphinflu_params AS params, count(*) AS accounts
ORDER BY accounts DESC, run
