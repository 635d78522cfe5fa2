import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (never `npx playwright install`: no browser downloads here). The
 * browser suites run where Chromium is installed and say loudly that they are skipped where it is not; with
 * PLAYGROUND_BROWSER_REQUIRED=1 (`.ci/run`) a missing Chromium fails instead.
 */

/** Debian's package; PLAYGROUND_CHROMIUM points elsewhere (another install, or a missing path to see the skip). */
export const CHROMIUM_PATH = process.env.PLAYGROUND_CHROMIUM || '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH);
export const BROWSER_REQUIRED = process.env.PLAYGROUND_BROWSER_REQUIRED === '1';
export const ARTIFACTS_DIR = path.resolve(__dirname, '../../test-artifacts/playground');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Saves a full-window screenshot under test-artifacts/playground/. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh profile (its own --user-data-dir) per session, removed on close. */
export async function openBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(path.join(tmpdir(), 'threadline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    context,
    page,
    async screenshot(name) {
      const file = path.join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** `describe` where Chromium is installed; elsewhere a visible skip, or a failure when the browser is required. */
export function describeInBrowser(name: string, body: () => void): void {
  if (HAVE_CHROMIUM) {
    describe(name, body);
    return;
  }
  if (BROWSER_REQUIRED) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`PLAYGROUND_BROWSER_REQUIRED=1 but there is no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
      });
    });
    return;
  }
  // Printed, not only counted: a bare machine passes `npm test`, and says what it did not check.
  console.warn(`SKIPPED "${name}": no Chromium at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium`);
  describe.skip(`${name} (SKIPPED: no Chromium at ${CHROMIUM_PATH})`, body);
}
