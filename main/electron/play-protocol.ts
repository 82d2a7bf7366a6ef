import { net, protocol } from 'electron'
import { pathToFileURL } from 'node:url'
import { PLAY_SCHEME } from '../common/play-url.ts'
import { playPath } from './play-access.ts'

/**
 * Before the app is ready: the play scheme is a secure, standard one that streams, so <audio>
 * can seek (Range requests) in a page whose CSP allows `media-src ccc-rec:` and nothing else.
 */
export function registerPlayScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: PLAY_SCHEME, privileges: { standard: true, secure: true, stream: true } }])
}

/** Answers play URLs with the file play-access.ts allows (Range included), anything else with its refusal. */
export function handlePlay(folders: () => Promise<readonly string[]>): void {
  protocol.handle(PLAY_SCHEME, async (request) => {
    const decision = await playPath(request.url, await folders())
    if (!decision.ok) return new Response(decision.reason, { status: decision.status })
    const range = request.headers.get('range')
    return net.fetch(pathToFileURL(decision.path).href, range ? { headers: { range } } : {})
  })
}
