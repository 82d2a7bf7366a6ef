/**
 * Reads that settle with the stop (timeout, speed floor, user) as soon as it fires. The body
 * cannot be trusted to notice: Node 20's fetch leaves a pending read unsettled for good when the
 * abort comes after the last byte arrived but before the end was read, and nothing would wake
 * the download again. One listener per body, not per read: the reads are the hot path.
 */
export function stoppableReads(reader: ReadableStreamDefaultReader<Uint8Array>, signal: AbortSignal): { next(): Promise<ReadableStreamReadResult<Uint8Array>>; dispose(): void } {
  let failPending: ((reason: unknown) => void) | undefined
  const stop = (): void => failPending?.(signal.reason)
  signal.addEventListener('abort', stop, { once: true })
  return {
    next() {
      if (signal.aborted) return Promise.reject(signal.reason)
      return new Promise((resolve, reject) => {
        failPending = reject
        reader.read().then(resolve, reject)
      })
    },
    dispose: () => signal.removeEventListener('abort', stop),
  }
}
