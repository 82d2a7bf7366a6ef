// Preload for scripts/bench/latency-profile.ts (--node='--require ./scripts/bench/count-events.cjs'):
// counts what the CLI does in a run, to tell "more work" from "the same work, dearer": timers set
// and fired, sockets opened, requests, socket chunks and bytes, fs/promises calls. Printed on
// stderr as one COUNTS line at exit. Wrapping changes the cost of each call, so time a run
// without it.
const http = require('node:http')
const counts = { sockets: 0, setTimeout: 0, setInterval: 0, timerFires: 0, requests: 0, abortListeners: 0, nextTick: 0, immediates: 0 }
const orig = http.Agent.prototype.createConnection
http.Agent.prototype.createConnection = function (...a) { counts.sockets++; return orig.apply(this, a) }
const ot = global.setTimeout, oi = global.setInterval, osi = global.setImmediate
global.setTimeout = function (fn, ...r) { counts.setTimeout++; return ot.call(this, function (...x) { counts.timerFires++; return fn.apply(this, x) }, ...r) }
global.setInterval = function (fn, ...r) { counts.setInterval++; return oi.call(this, function (...x) { counts.timerFires++; return fn.apply(this, x) }, ...r) }
global.setImmediate = function (...a) { counts.immediates++; return osi.apply(this, a) }
const oreq = http.request
http.request = function (...a) { counts.requests++; return oreq.apply(this, a) }
const oadd = EventTarget.prototype.addEventListener
EventTarget.prototype.addEventListener = function (...a) { counts.abortListeners++; return oadd.apply(this, a) }
const ont = process.nextTick
process.nextTick = function (...a) { counts.nextTick++; return ont.apply(this, a) }
process.on('exit', () => require('node:fs').writeSync(2, `COUNTS ${JSON.stringify(counts)}\n`))
const net = require('node:net')
const { Readable } = require('node:stream')
counts.socketPushes = 0; counts.socketBytes = 0; counts.bigPushes = 0
const opush = Readable.prototype.push
Readable.prototype.push = function (chunk, ...r) { if (this instanceof net.Socket && chunk) { counts.socketPushes++; counts.socketBytes += chunk.length; if (chunk.length >= 60000) counts.bigPushes++ } return opush.call(this, chunk, ...r) }
const fsp = require('node:fs/promises')
counts.fsOps = {}
for (const k of ['open', 'lstat', 'stat', 'rename', 'mkdir', 'unlink', 'rm', 'readFile', 'writeFile', 'appendFile']) { const o = fsp[k]; if (o) fsp[k] = function (...a) { counts.fsOps[k] = (counts.fsOps[k] ?? 0) + 1; return o.apply(this, a) } }
