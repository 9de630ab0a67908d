// Node's built-in fetch (undici): the owner query with the harness's
// token, the same headers as every contender, the answer parsed as JSON.
'use strict';
const { OWNER_PATH, serve } = require('./pool');

const url = process.env.EIAM_MOCK_URL + OWNER_PATH;
const headers = {
  Authorization: 'Bearer ' + process.env.EIAM_BENCH_TOKEN,
  Accept: 'application/json',
  'Content-Type': 'application/json',
};

serve(async () => {
  const r = await fetch(url, { headers });
  if (r.status !== 200) throw new Error(`status ${r.status}`);
  await r.json();
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
