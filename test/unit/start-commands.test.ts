import fs from 'node:fs';
import path from 'node:path';
import { PRODUCTION_NODE_FLAGS } from '../helpers/processes';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/**
 * The memory budget (README "Memory", issue 7) rests on V8 flags given on the command line: every way threadline is
 * started must carry the same ones, and the benchmark must run what production runs.
 */
describe('start commands', () => {
  it('npm start and start:dist run Node with the production flags', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'start:dist']) expect(scripts[name]).toContain(`node ${PRODUCTION_NODE_FLAGS.join(' ')} `);
  });

  it('the Docker image and every docker-compose service run Node with them', () => {
    const quoted = PRODUCTION_NODE_FLAGS.map((f) => `"${f}"`).join(', ');
    expect(read('Dockerfile')).toContain(`CMD ["node", ${quoted}, "dist/src/index.js"]`);
    const commands = read('docker-compose.yml').split('\n').filter((line) => line.includes('command: ["node"'));
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands) expect(line).toContain(`["node", ${quoted}, "dist/src/index.js"`);
  });
});
