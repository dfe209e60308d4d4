/**
 * Construct props are the public API: each prop of an exported `*Props` interface has a JSDoc
 * summary, and each optional prop a `@default` (a literal, or `-` and prose), as aws-cdk does.
 */
const rule = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Require a JSDoc summary on every construct prop and @default on optional ones' },
    messages: {
      missingDoc: "Prop '{{name}}' of {{props}} needs a JSDoc comment that says what it is.",
      missingSummary: "Prop '{{name}}' of {{props}} needs a summary before its tags.",
      missingDefault: "Optional prop '{{name}}' of {{props}} needs a @default tag (a literal, or '-' and prose).",
    },
    schema: [],
  },
  create(context) {
    return {
      'TSInterfaceDeclaration[id.name=/Props$/] > TSInterfaceBody > TSPropertySignature'(node) {
        const props = node.parent.parent.id.name;
        const name = node.key.name ?? context.sourceCode.getText(node.key);
        const doc = context.sourceCode
          .getCommentsBefore(node)
          .filter((c) => c.type === 'Block' && c.value.startsWith('*'))
          .pop();
        if (doc === undefined) {
          context.report({ node, messageId: 'missingDoc', data: { name, props } });
          return;
        }
        const text = doc.value
          .split('\n')
          .map((line) => line.replace(/^\s*\*?\s?/, ''))
          .join('\n')
          .trim();
        if (text === '' || text.startsWith('@')) context.report({ node, messageId: 'missingSummary', data: { name, props } });
        if (node.optional && !/(^|\s)@default\b/.test(text)) context.report({ node, messageId: 'missingDefault', data: { name, props } });
      },
    };
  },
};

export default { rules: { 'construct-props-jsdoc': rule } };
