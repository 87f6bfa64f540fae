// load_accounts: create or update accounts, one batch of rows at a time.
//
// Each row is {id: string, props: map}; props holds the profile columns (handle, followers,
// following, posts, category, ...). A new account's handle starts as its id; SET += only adds
// or overwrites the keys given (a push without profiles keeps the handles already stored). Rows
// whose values are all stored already are not written again, so running the same batch twice
// changes nothing (Neo4j would count a SET of an unchanged value as a property set).
// Paste into Neo4j Browser first:
// :param rows => [{id: '1001', props: {handle: 'ana', followers: 12000, category: 'fitness'}}]
UNWIND $rows AS row
MERGE (a:Account {id: row.id})
ON CREATE SET a.handle = row.id
WITH a, row
WHERE any(k IN keys(row.props) WHERE a[k] IS NULL OR a[k] <> row.props[k])
SET a += row.props
