'use strict';
// Starts the project's mock server the way users would: spawn
// `eiam-mock --exit-on-stdin-eof` and read its EIAM_MOCK_*=... lines. The
// mock exits when its stdin closes, so it cannot outlive the test process.

const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const MOCK_BIN =
  process.env.EIAM_MOCK_BIN || path.join(__dirname, '..', '..', '..', 'target', 'debug', 'eiam-mock');

async function startMock() {
  const child = spawn(MOCK_BIN, ['--exit-on-stdin-eof'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const env = {};
  const rl = readline.createInterface({ input: child.stdout });
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('eiam-mock did not start within 10 s')), 10000);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`eiam-mock exited early (${code})`));
      });
      rl.on('line', (line) => {
        const m = /^(EIAM_MOCK_[A-Z_]+)=(.*)$/.exec(line);
        if (!m) {
          clearTimeout(timer);
          reject(new Error(`unexpected line from eiam-mock: ${line}`));
          return;
        }
        env[m[1]] = m[2];
        if (env.EIAM_MOCK_URL && env.EIAM_MOCK_CLIENT_ID && env.EIAM_MOCK_CLIENT_SECRET) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } catch (e) {
    child.kill();
    throw e;
  }
  rl.close();
  child.stdout.resume(); // never let a full pipe block the mock

  const url = env.EIAM_MOCK_URL;
  const query = (params) => new URLSearchParams(params).toString();
  async function admin(method, name, body) {
    const res = await fetch(`${url}/__mock/${name}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`/__mock/${name}: HTTP ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  return {
    url,
    clientId: env.EIAM_MOCK_CLIENT_ID,
    clientSecret: env.EIAM_MOCK_CLIENT_SECRET,
    reset: () => admin('POST', 'reset'),
    stats: () => admin('GET', 'stats'),
    fault: (spec) => admin('POST', 'faults', spec),
    /** The account as the mock holds it (null if none). */
    account: async (appId, accountId) => (await admin('GET', `account?${query({ app_id: appId, account_id: accountId })}`)).account,
    accountCount: async (appId) => (await admin('GET', `account-count?${query({ app_id: appId })}`)).count,
    members: async (appId, accountId) => (await admin('GET', `members?${query({ app_id: appId, account_id: accountId })}`)).user_names,
    passwordIs: async (appId, accountId, password) =>
      (await admin('POST', 'password-is', { app_id: appId, account_id: accountId, password })).matches,
    async stop() {
      child.stdin.end(); // closing stdin ends it
      await exited;
    },
  };
}

module.exports = { startMock };
