// The peer the ledger bench compares with: express-pouchdb over PouchDB's in-memory adapter, in its own process; prints its port.
const PouchDB = require('pouchdb-node');
const express = require('express');
const expressPouchDB = require('express-pouchdb');

PouchDB.plugin(require('pouchdb-adapter-memory'));
const MemoryPouchDB = PouchDB.defaults({ adapter: 'memory' });
const app = express();
// inMemoryConfig: no config.json or log file in the working folder.
app.use('/', expressPouchDB(MemoryPouchDB, { mode: 'minimumForPouchDB', inMemoryConfig: true }));
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`pouchdb on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
