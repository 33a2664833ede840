/** Node's arguments before `server/main.ts` wherever the ledger is started as its own process. */
export declare const LEDGER_NODE_ARGS: readonly string[];
