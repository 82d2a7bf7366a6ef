// Imported first by main.ts, before any module builds a zod schema: zod otherwise probes for
// `new Function`, which the CSP refuses and reports as a violation (even though zod copes).
import { z } from 'zod'

z.config({ jitless: true })
