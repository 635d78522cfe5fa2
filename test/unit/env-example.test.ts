import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';

/**
 * .env.example, the README's configuration table and src/config.ts name the same variables, so none of the three
 * can drift from the others; and the example, filled as documented, is a configuration threadline accepts.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

function readmeVariables(): string[] {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| variable |')));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1] ?? ''));
}

function configVariables(): string[] {
  const source = read('src/config.ts');
  const schema = source.slice(source.indexOf('const envSchema = z.object({'), source.indexOf('\n});', source.indexOf('const envSchema')));
  return [...schema.matchAll(/^ {2}([A-Z0-9_]+):/gm)].map((m) => m[1] ?? '');
}

function exampleLines(): Array<{ name: string; value: string; commented: boolean }> {
  return read('.env.example')
    .split('\n')
    .flatMap((line) => {
      const m = /^(#\s?)?([A-Z0-9_]+)=(.*)$/.exec(line);
      return m ? [{ name: m[2] ?? '', value: m[3] ?? '', commented: m[1] !== undefined }] : [];
    });
}

const sorted = (names: string[]) => [...new Set(names)].sort();

describe('.env.example', () => {
  it('names every variable of the README table and of src/config.ts, and nothing else', () => {
    const example = sorted(exampleLines().map((l) => l.name));
    expect(sorted(readmeVariables())).toEqual(sorted(configVariables()));
    expect(example).toEqual(sorted(configVariables()));
  });

  it('explains every variable with a comment line above it', () => {
    const lines = read('.env.example').split('\n');
    lines.forEach((line, i) => {
      if (!/^(#\s?)?[A-Z0-9_]+=/.test(line)) return;
      let j = i - 1;
      while (j >= 0 && /^(#\s?)?[A-Z0-9_]+=/.test(lines[j] ?? '')) j -= 1;
      expect(`${lines[j]}`).toMatch(/^# \S/);
    });
  });

  it('its example values are accepted by the configuration', () => {
    const env = Object.fromEntries(exampleLines().filter((l) => l.value !== '').map((l) => [l.name, l.value]));
    const filled = { ...env, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_CHANNEL: 'C0123456789', WHATSAPP_ACCESS_TOKEN: 't', WHATSAPP_APP_SECRET: 'a', WHATSAPP_VERIFY_TOKEN: 'v' };
    expect(() => loadConfig(filled, [])).not.toThrow();
  });
});
