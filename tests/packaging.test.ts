import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { repoRoot } from './fixtures.ts';

const require = createRequire(import.meta.url);

describe('electron-builder.yml', () => {
  const config = parse(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8'));

  it("validates against electron-builder's own JSON schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('targets dmg/zip (arm64, x64), nsis (x64, arm64), AppImage and deb, and unpacks llama.cpp and the models', () => {
    const targets = (platform: string) =>
      config[platform].target.map((t: { target: string; arch: string[] }) => `${t.target}:${t.arch.join('+')}`);
    expect(targets('mac')).toEqual(['dmg:arm64+x64', 'zip:arm64+x64']);
    expect(targets('win')).toEqual(['nsis:x64+arm64']);
    expect(targets('linux').map((t: string) => t.split(':')[0])).toEqual(['AppImage', 'deb']);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/@node-llama-cpp/**', 'models/**']));
    expect(config.mac.files.join()).toMatch(/linux,win/);
  });
});
