import fs from 'node:fs';
import path from 'node:path';
import { measureTemplateTimings } from './template-timings';

/**
 * `npm run bench:templates`: only the template timings (modal open latency, catalogue sync of 500 templates), the
 * bridge run from source through tsx; the result is merged into bench/results.json under `templates`, beside the
 * full benchmark's numbers (`npm run bench` measures the same against the compiled build).
 */
async function main(): Promise<void> {
  const templates = await measureTemplateTimings({ entry: 'src/index.ts' });
  const file = path.resolve(__dirname, 'results.json');
  const results = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  results.templates = { measuredAt: new Date().toISOString(), entry: 'src/index.ts (tsx)', ...templates };
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)} (templates)\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
