import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, type Sim } from './index.ts'
import { downloadRecording } from './helpers.ts'

let sim: Sim
beforeAll(async () => {
  sim = await startSim()
})
afterAll(() => sim.close())

// The helper asks for JSON, as the engine does; without Format the gateway answers XML.
const json = {}
const xml = { edit: (p: Record<string, string>) => void delete p.Format }

describe('the api-hostile fault on DownloadRecording', () => {
  it('answers the chosen status, Code and Message once, then as usual', async () => {
    const message = '\u001b]0;pwned\u0007\u001b[2J =HYPERLINK("x")'
    sim.fault('h.wav', { kind: 'api-hostile', code: "=2+5+cmd|' /C calc'!A0", message, status: 418 })
    const r = await downloadRecording(sim, 'h.wav', json)
    expect(r.status).toBe(418)
    expect(await r.json()).toMatchObject({ Code: "=2+5+cmd|' /C calc'!A0", Message: message })
    expect((await downloadRecording(sim, 'h.wav', json)).status).toBe(200)
  })

  it('streams a Message of the given size as valid JSON and as XML', async () => {
    sim.fault('big.wav', { kind: 'api-hostile', code: 'Evil', message: 'ab"c', messageBytes: 300_000, times: 2 })
    const r = await downloadRecording(sim, 'big.wav', json)
    expect(r.headers.get('content-length')).toBeNull()
    const body = (await r.json()) as { Code: string; Message: string; RequestId: string }
    expect(body.Code).toBe('Evil')
    expect(body.Message).toMatch(/^(ab"c)+/)
    expect(Buffer.byteLength(JSON.stringify(body.Message)) - 2).toBe(300_000)
    const text = await (await downloadRecording(sim, 'big.wav', xml)).text()
    expect(text).toMatch(/^<\?xml .*<Error>.*<Code>Evil<\/Code>.*<Message>(ab"c)+/s)
    expect(text).toMatch(/<\/Message>.*<\/Error>$/s)
  })
})
