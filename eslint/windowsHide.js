// Lint rule: every child process Edgewise starts passes `windowsHide: true`. Without it, Windows opens a
// console window for each one (PowerShell for the battery reading would flash one every 2 s while an
// answer streams). Calls are recognised through their import from node:child_process, also when
// wrapped as `const run = promisify(execFile)`.
const starters = new Set(['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']);
const modules = new Set(['node:child_process', 'child_process']);

function hidesWindow(node) {
  return node.arguments.some(
    (arg) =>
      arg.type === 'ObjectExpression' &&
      arg.properties.some(
        (p) =>
          p.type === 'Property' &&
          ((p.key.type === 'Identifier' && p.key.name === 'windowsHide') ||
            (p.key.type === 'Literal' && p.key.value === 'windowsHide')) &&
          p.value.type === 'Literal' &&
          p.value.value === true,
      ),
  );
}

export const windowsHide = {
  meta: {
    type: 'problem',
    docs: { description: 'Child processes must pass windowsHide: true' },
    messages: {
      missing:
        '{{name}}() must pass `windowsHide: true` in an options object literal: on Windows each child otherwise opens a console window.',
    },
    schema: [],
  },
  create(context) {
    const tracked = new Set();
    const namespaces = new Set();
    return {
      ImportDeclaration(node) {
        if (!modules.has(node.source.value)) return;
        for (const s of node.specifiers) {
          if (s.type === 'ImportSpecifier' && starters.has(s.imported.name)) tracked.add(s.local.name);
          if (s.type === 'ImportNamespaceSpecifier' || s.type === 'ImportDefaultSpecifier')
            namespaces.add(s.local.name);
        }
      },
      VariableDeclarator(node) {
        const init = node.init;
        if (
          node.id.type === 'Identifier' &&
          init?.type === 'CallExpression' &&
          init.callee.type === 'Identifier' &&
          init.callee.name === 'promisify' &&
          init.arguments[0]?.type === 'Identifier' &&
          tracked.has(init.arguments[0].name)
        )
          tracked.add(node.id.name);
      },
      CallExpression(node) {
        const callee = node.callee;
        const name =
          callee.type === 'Identifier' && tracked.has(callee.name)
            ? callee.name
            : callee.type === 'MemberExpression' &&
                callee.object.type === 'Identifier' &&
                namespaces.has(callee.object.name) &&
                callee.property.type === 'Identifier' &&
                starters.has(callee.property.name)
              ? `${callee.object.name}.${callee.property.name}`
              : null;
        if (name && !hidesWindow(node)) context.report({ node, messageId: 'missing', data: { name } });
      },
    };
  },
};
