// The size limits may be lifted for a file only when the comment that lifts them says why, so that a
// reader sees the reason and the next person to split the file knows what held it together.

const DIRECTIVE = /^\s*eslint-disable(?:-next-line|-line)?(?:\s|$)/

/** @type {import('eslint').Rule.RuleModule} */
export const disableReasonRule = {
  meta: {
    type: 'suggestion',
    docs: { description: 'eslint-disable comments carry a reason after --' },
    schema: [],
    messages: { missing: "Say why after ' -- ', e.g. /* eslint-disable max-lines -- one table of codes */" },
  },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          if (!DIRECTIVE.test(comment.value)) continue
          const [, reason] = comment.value.split(/\s--\s/)
          if (!reason?.trim()) context.report({ loc: comment.loc, messageId: 'missing' })
        }
      },
    }
  },
}
