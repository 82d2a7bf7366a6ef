// ESLint rule that keeps the layers one way, in the spirit of VS Code's `code-layering`.
// no-restricted-imports only sees the specifier as written, so `../../engine/x.ts` from a nested folder
// slips past any pattern that does not know the depth; this rule resolves relative specifiers to the
// file they name and judges the layer of that file instead.
import { builtinModules } from 'node:module'
import path from 'node:path'

/** Our layers, most specific first so `main/common/x.ts` is not read as `main`. */
const LAYERS = ['main/common', 'main/engine', 'main/electron', 'main/cli', 'main/preload', 'renderer']

const BUILTINS = new Set(builtinModules)

/** What a specifier names: one of our layers, other code of ours, node, electron or a package. */
function classify(specifier, fromFile, root) {
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
    const target = path.relative(root, path.resolve(path.dirname(fromFile), specifier)).split(path.sep).join('/')
    const layer = LAYERS.find((name) => target === name || target.startsWith(`${name}/`))
    return layer ?? (target.startsWith('node_modules/') ? 'package' : 'ours')
  }
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0])) return 'node'
  if (specifier === 'electron' || specifier.startsWith('electron/')) return 'electron'
  return 'package'
}

function describe(kind) {
  if (kind === 'ours') return 'our code outside the layers'
  if (kind === 'node') return 'Node built-ins'
  if (kind === 'package') return 'npm packages'
  return kind
}

/** @type {import('eslint').Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder imports only the layers below it' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          allow: { type: 'array', items: { type: 'string' } },
        },
        required: ['layer', 'allow'],
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden: "{{layer}} may not import {{what}} ('{{specifier}}'); it may import: {{allowed}}.",
    },
  },
  create(context) {
    const { layer, allow } = context.options[0]
    const root = context.settings.layering?.root ?? context.cwd
    const allowed = new Set(allow)

    function check(node) {
      if (node?.type !== 'Literal' || typeof node.value !== 'string') return
      const kind = classify(node.value, context.filename, root)
      if (kind === layer || allowed.has(kind)) return
      context.report({
        node,
        messageId: 'forbidden',
        data: { layer, what: describe(kind), specifier: node.value, allowed: [layer, ...allow].map(describe).join(', ') },
      })
    }

    // Type-only imports count too: a layer that names another's types depends on it all the same.
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.source),
      TSExternalModuleReference: (node) => check(node.expression),
    }
  },
}
