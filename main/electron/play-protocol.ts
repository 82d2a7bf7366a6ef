import { protocol } from 'electron'
import { PLAY_SCHEME } from '../common/play-url.ts'
import { playResponse } from './play-access.ts'

/**
 * Before the app is ready: the play scheme is a secure, standard one that streams, so <audio>
 * can seek (Range requests) in a page whose CSP allows `media-src ccc-rec:` and nothing else.
 */
export function registerPlayScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: PLAY_SCHEME, privileges: { standard: true, secure: true, stream: true } }])
}

/** Answers play URLs with the bytes play-access.ts allows (Range included), anything else with its refusal. */
export function handlePlay(folders: () => Promise<readonly string[]>): void {
  protocol.handle(PLAY_SCHEME, async (request) => playResponse(request.url, request.headers.get('range'), await folders()))
}
