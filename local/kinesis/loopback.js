// Preloaded into the Kinesis emulator (node --require): kinesis-local has no host setting and listens
// on every interface; this makes each server it opens listen on 127.0.0.1 only.
'use strict';
const net = require('net');

const LOOPBACK = '127.0.0.1';
const wildcard = (host) => host === undefined || host === null || host === '' || host === '::' || host === '0.0.0.0';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function (...args) {
  const [first, second] = args;
  if (first !== null && typeof first === 'object' && first.path === undefined && first.fd === undefined) {
    if (wildcard(first.host)) args[0] = { ...first, host: LOOPBACK };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second === 'string') {
      if (wildcard(second)) args[1] = LOOPBACK;
    } else {
      args.splice(1, 0, LOOPBACK);
    }
  }
  return listen.apply(this, args);
};
