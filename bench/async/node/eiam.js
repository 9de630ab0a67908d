// The Node binding's promise API: `await client.getPublicAccountOwner()`,
// on the library's own worker threads. EIAM_LIB names the libeiam to load.
'use strict';
const path = require('node:path');
const { serve, unavailable } = require('./pool');
const { Client } = require(path.join(__dirname, '../../../bindings/node'));

const client = new Client({
  baseUrl: process.env.EIAM_MOCK_URL,
  clientId: process.env.EIAM_MOCK_CLIENT_ID,
  clientSecret: process.env.EIAM_MOCK_CLIENT_SECRET,
});

async function main() {
  const first = client.getPublicAccountOwner('demo-app', 'pub-1');
  if (typeof first?.then !== 'function') unavailable('getPublicAccountOwner returns no Promise in this build');
  await first;
  await serve(() => client.getPublicAccountOwner('demo-app', 'pub-1'));
  client.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
