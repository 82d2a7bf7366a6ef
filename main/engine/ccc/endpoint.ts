/**
 * Where CCC lives for a region. The official SDKs' endpoint map has regional hosts only for
 * cn-shanghai and cn-hangzhou and sends every other region to the central host (ccc-api.md §2).
 */
const REGIONAL = new Set(['cn-shanghai', 'cn-hangzhou'])

export const DEFAULT_REGION = 'cn-shanghai'

export function endpointFor(region: string = DEFAULT_REGION): string {
  return REGIONAL.has(region) ? `https://ccc.${region}.aliyuncs.com/` : 'https://ccc.aliyuncs.com/'
}
