'use strict';
// HTTPS in front of the mock: a CA and a server certificate for 127.0.0.1
// made with openssl, and a TLS proxy to the mock's port. The proxy runs in a
// worker thread, so that it serves even while a blocking call (client.sync)
// holds the main thread's event loop.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Worker } = require('node:worker_threads');

function openssl(dir, args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA (ca.pem) and a server certificate it signed for 127.0.0.1, in a new folder. */
function makePki() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eiam-node-tls-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=eiam node test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(dir, ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=eiam mock']);
  fs.writeFileSync(
    path.join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext']);
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    cert: fs.readFileSync(path.join(dir, 'server.pem'), 'utf8'),
    key: fs.readFileSync(path.join(dir, 'server.key'), 'utf8'),
  };
}

const PROXY = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const tls = require('node:tls');
const { key, cert, upstream } = workerData;
const sockets = new Set();
const server = tls.createServer({ key, cert }, (down) => {
  const up = net.connect(upstream.port, upstream.host);
  for (const s of [down, up]) {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => { down.destroy(); up.destroy(); });
  }
  down.pipe(up).pipe(down);
});
server.on('tlsClientError', () => {});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => {
  server.close();
  for (const s of sockets) s.destroy();
  parentPort.close();
});
`;

/** Starts HTTPS in front of `mockUrl`; returns { url, caFile, stop }. */
async function startTlsProxy(mockUrl) {
  const pki = makePki();
  const upstream = new URL(mockUrl);
  const worker = new Worker(PROXY, {
    eval: true,
    workerData: { key: pki.key, cert: pki.cert, upstream: { host: upstream.hostname, port: Number(upstream.port) } },
  });
  const port = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    url: `https://127.0.0.1:${port}`,
    caFile: pki.caFile,
    async stop() {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await exited;
      fs.rmSync(pki.dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startTlsProxy };
