// Loaded with --import into the headless shell, its engine worker and the CLI: records every outbound
// connection, datagram and name lookup to the file in EDGEWISE_NET_LOG, one JSON line each.
import net from 'node:net';
import dgram from 'node:dgram';
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';

const log = process.env.EDGEWISE_NET_LOG;
const record = (kind, target) => {
  if (log) appendFileSync(log, JSON.stringify({ pid: process.pid, kind, ...target }) + '\n');
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = args[0];
  const options = Array.isArray(first) ? first[0] : first;
  if (typeof options === 'object' && options !== null)
    record('tcp', { host: options.host ?? 'localhost', port: options.port, path: options.path });
  else if (typeof options === 'string' && Number.isNaN(Number(options))) record('ipc', { path: options });
  else record('tcp', { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: options });
  return connect.apply(this, args);
};

const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (...args) {
  const address = args.find((a, i) => i > 0 && typeof a === 'string');
  record('udp', { host: address ?? 'unknown' });
  return send.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  record('dns', { host: hostname });
  return lookup.call(this, hostname, ...rest);
};
const lookupPromise = dns.promises.lookup;
dns.promises.lookup = function (hostname, ...rest) {
  record('dns', { host: hostname });
  return lookupPromise.call(this, hostname, ...rest);
};

record('start', { host: null, argv: process.argv.slice(1, 3).map((a) => a.split('/').pop()) });
