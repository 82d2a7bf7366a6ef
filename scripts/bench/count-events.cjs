// Preload for scripts/bench/latency-profile.ts (--node='--require ./scripts/bench/count-events.cjs'):
// counts what the CLI does in a run, to tell "more work" from "the same work, dearer": timers set
// and fired, sockets opened, requests, socket chunks and bytes, fs/promises calls, and each
// thread's CPU and sleeps. Printed on
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
const net = require('node:net')
const { Readable } = require('node:stream')
counts.socketPushes = 0; counts.socketBytes = 0; counts.bigPushes = 0
const opush = Readable.prototype.push
Readable.prototype.push = function (chunk, ...r) { if (this instanceof net.Socket && chunk) { counts.socketPushes++; counts.socketBytes += chunk.length; if (chunk.length >= 60000) counts.bigPushes++ } return opush.call(this, chunk, ...r) }
const fsp = require('node:fs/promises')
counts.fsOps = {}
for (const k of ['open', 'lstat', 'stat', 'rename', 'mkdir', 'unlink', 'rm', 'readFile', 'writeFile', 'appendFile']) { const o = fsp[k]; if (o) fsp[k] = function (...a) { counts.fsOps[k] = (counts.fsOps[k] ?? 0) + 1; return o.apply(this, a) } }
// At exit, per thread: CPU (user + system, s) and times it slept (voluntary switches). The main
// thread's sleeps are the event loop going idle; the rest are libuv's and V8's threads.
process.on('exit', () => {
  const fs = require('node:fs')
  const hz = 100
  const threads = { main: null, others: { cpu: 0, sleeps: 0, n: 0 } }
  for (const tid of fs.readdirSync('/proc/self/task')) {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cpu = (Number(f[11]) + Number(f[12])) / hz
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
    const sleeps = Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(fs.readFileSync(`/proc/self/task/${tid}/status`, 'utf8'))[1])
    if (Number(tid) === process.pid) threads.main = { cpu, sleeps }
    else {
      threads.others.cpu += cpu
      threads.others.sleeps += sleeps
      threads.others.n++
      // In creation order: V8's platform workers come first (GC helpers), libuv's pool last (fs calls).
      threads[`${name}:${tid}`] = { cpu, sleeps }
    }
  }
  counts.threads = threads
  fs.writeSync(2, `COUNTS ${JSON.stringify(counts)}\n`)
})
