// How Node runs the ledger: tsx's loader in the same process (a signal reaches the ledger itself),
// and a young generation of 32 MiB semi-spaces instead of 16: a push parses, hashes and
// re-prices thousands of short-lived objects, and fewer scavenges cut the ledger's CPU per
// 500-sale push by ~10 % (docs/ingest-profile.md, "The young generation"), for ≤ 48 MiB more heap.
// package.json's `ledger` script cannot import this and spells the same flags out: change both together.
export const LEDGER_NODE_ARGS = ['--max-semi-space-size=32', '--import', 'tsx'];
