// Runs Electronegativity over electron/ and prints its findings as JSON (inline-disabled ones marked).
// Offline: its translation download is replaced by an immediate failure, so it uses its bundled English.
const path = require('node:path');
const root = path.join(__dirname, '..');
const engDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const gotPath = require.resolve('got', { paths: [engDir] });
require.cache[gotPath] = {
  id: gotPath,
  filename: gotPath,
  loaded: true,
  exports: { __esModule: true, default: () => Promise.reject(new Error('offline')) },
};
const run = require('@doyensec/electronegativity');

const log = console.log;
console.log = () => {}; // its banner and progress
run(
  {
    input: path.resolve(process.argv[2] ?? path.join(root, 'electron')),
    output: undefined,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: require(path.join(root, 'node_modules/electron/package.json')).version,
    parserPlugins: [],
  },
  false,
).then(
  (result) => {
    const findings = (result.globalChecks ? [] : []).concat(result.issues ?? result).map((f) => ({
      id: f.id,
      file: f.file,
      line: f.location?.line,
      severity: f.severity?.name,
      confidence: f.confidence?.name,
      description: f.description,
      disabledInPlace: Boolean(f.visibility?.inlineDisabled),
    }));
    log(JSON.stringify(findings));
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
