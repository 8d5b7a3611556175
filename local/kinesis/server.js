'use strict';
// Kinesis API emulator for the local stack: kinesalite, made to speak what the AWS SDK for Java v2
// speaks by default, so no client needs a setting for it: CBOR timestamps and blobs, and HTTP/2 without
// TLS (prior knowledge, the async client's default) next to HTTP/1.1, on one port bound to loopback.
const http2 = require('http2');
const net = require('net');
const { Duplex } = require('stream');
const path = require('path');

// --port P (default 4568) and --host H (default 127.0.0.1); nothing else.
const argv = {};
for (let i = 2; i < process.argv.length; i++) {
  const m = /^--(port|host)(?:=(.*))?$/.exec(process.argv[i]);
  if (!m) { console.error(`unknown argument ${process.argv[i]} (usage: server.js [--port P] [--host H])`); process.exit(2); }
  argv[m[1]] = m[2] !== undefined ? m[2] : process.argv[++i];
}

const home = path.dirname(require.resolve('kinesalite/package.json'));
const cbor = require(require.resolve('cbor', { paths: [home] }));

// The SDK writes a timestamp as CBOR tag 1 holding epoch milliseconds, which the cbor package reads as
// seconds; kinesalite wants epoch seconds and base64 blobs, as in its JSON protocol.
const decode = cbor.Decoder.decodeFirstSync;
function fromSdk(v) {
  if (v instanceof Date) return v.getTime() / 1e6;
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(fromSdk);
  if (v && typeof v === 'object') for (const k of Object.keys(v)) v[k] = fromSdk(v[k]);
  return v;
}
cbor.Decoder.decodeFirstSync = function (...args) { return fromSdk(decode.apply(this, args)); };

// ...and reads timestamps back as tag 1 with integer milliseconds, and record data as a byte string.
const encode = cbor.Encoder.encodeOne;
function toSdk(v, key) {
  if (typeof v === 'number' && /Timestamp$/.test(key || '')) return new cbor.Tagged(1, Math.round(v * 1000));
  if (typeof v === 'string' && key === 'Data') return Buffer.from(v, 'base64');
  if (Array.isArray(v)) return v.map((x) => toSdk(x, key));
  if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
    const out = {};
    for (const k of Object.keys(v)) out[k] = toSdk(v[k], k);
    return out;
  }
  return v;
}
// cbor's encodeOne stops at its stream's highWaterMark (16 KiB by default): a larger response (500
// put results, a GetRecords batch) was cut short, so give it room for the largest Kinesis response.
cbor.Encoder.encodeOne = function (data, options) {
  return encode.call(this, toSdk(data), { ...options, highWaterMark: 64 * 1024 * 1024 });
};

// GetShardIterator AT_TIMESTAMP after a shard's last record never answered (kinesalite waits for a
// first record that does not exist); Kinesis answers with an iterator at the shard's end, as LATEST.
const db = require(path.join(home, 'db'));
const shardIteratorPath = path.join(home, 'actions', 'getShardIterator.js');
const getShardIterator = require(shardIteratorPath);
require.cache[shardIteratorPath].exports = function atTimestampOrEnd(store, data, cb) {
  if (data.ShardIteratorType !== 'AT_TIMESTAMP' || typeof data.Timestamp !== 'number' || data.Timestamp * 1000 > Date.now()) {
    return getShardIterator(store, data, cb);
  }
  let shardIx, records;
  try {
    shardIx = db.resolveShardId(data.ShardId).shardIx;
    records = store.getStreamDb(data.StreamName)
      .createReadStream({ gt: db.shardIxToHex(shardIx), lt: db.shardIxToHex(shardIx + 1), keys: false });
  } catch (e) {
    return getShardIterator(store, data, cb);
  }
  let answered = false;
  const answer = (found) => {
    if (answered) return;
    answered = true;
    records.destroy();
    getShardIterator(store, found ? data : { ...data, ShardIteratorType: 'LATEST', Timestamp: undefined }, cb);
  };
  records.on('data', (value) => { if (value.ApproximateArrivalTimestamp >= data.Timestamp) answer(true); });
  records.on('end', () => answer(false));
  records.on('error', () => answer(true));
};

const kinesalite = require('kinesalite');
const host = argv.host || '127.0.0.1';
const port = Number(argv.port || 4568);
const h1 = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
// kinesalite throws from a request's 'error' event, so a client that hung up mid-request (a killed
// TaskManager, a timed-out put) took the whole emulator down. The request is gone; log it and go on.
const [handle] = h1.listeners('request');
h1.removeAllListeners('request');
h1.on('request', (req, res) => {
  const on = req.on;
  req.on = function (event, listener) {
    if (event !== 'error') return on.call(this, event, listener);
    return on.call(this, event, (e) => console.error(`a client left mid-request (${e.code || e.message})`));
  };
  handle(req, res);
});
const h2 = http2.createServer();
h2.on('sessionError', (e) => console.error('HTTP/2 session error:', e.message));
h2.on('request', (req, res) => h1.emit('request', req, res));

// One port, both protocols: an HTTP/2 connection starts with its fixed preface.
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');
const server = net.createServer((socket) => {
  let head = Buffer.alloc(0);
  socket.on('error', () => socket.destroy());
  socket.on('readable', function sniff() {
    let chunk;
    while ((chunk = socket.read()) !== null) head = Buffer.concat([head, chunk]);
    // Too short to tell, and still a possible HTTP/2 preface: wait for more.
    if (head.length < PREFACE.length && head.equals(PREFACE.subarray(0, head.length))) return;
    const h2c = head.subarray(0, PREFACE.length).equals(PREFACE);
    socket.removeListener('readable', sniff);
    (h2c ? h2 : h1).emit('connection', relay(socket, head));
  });
});

// Both servers read a net.Socket's handle natively, ahead of bytes already read from it; a plain stream
// in front keeps the order (the sniffed bytes first, then the rest of the connection).
function relay(socket, head) {
  const stream = new Duplex({
    read() { socket.resume(); },
    write(chunk, encoding, done) { socket.write(chunk, encoding, done); },
    final(done) { socket.end(done); },
    destroy(error, done) { socket.destroy(error); done(error); },
  });
  stream.push(head);
  socket.on('data', (chunk) => { if (!stream.push(chunk)) socket.pause(); });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  return stream;
}
server.listen(port, host, () => console.log(`Kinesis emulator (kinesalite) listening at http://${host}:${port}`));
// Open keep-alive connections would hold close() back; the data is in memory, so just go.
const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
