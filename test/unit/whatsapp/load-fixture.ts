import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NumberRef, ParsedWebhook, WebhookItem } from '../../../src/whatsapp/webhook-types';

const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'whatsapp');

/** The fixture's bytes exactly as stored, i.e. as Meta would put them on the wire. */
export function readFixtureBytes(name: string): Buffer {
  return readFileSync(join(FIXTURE_DIR, `${name}.json`));
}

export function loadFixture(name: string): unknown {
  return JSON.parse(readFixtureBytes(name).toString('utf8'));
}

export const BUSINESS_NUMBER: NumberRef = {
  phoneNumberId: '100000000000001',
  displayPhoneNumber: '15550001111',
  wabaId: '200000000000002',
};

export function wamidIn(n: number): string {
  return `wamid.HBgLMTU1NTAwMDIyMjIVAgASGBQzQUI${String(n).padStart(11, '0')}QUE=`;
}

export function wamidOut(n: number): string {
  return `wamid.HBgLMTU1NTAwMDIyMjIVAgARGBIzRjA${String(n).padStart(11, '0')}RkE=`;
}

export function unixDate(seconds: number): Date {
  return new Date(seconds * 1000);
}

export const FIXTURE_TIME = 1795000000;

export function expectOneItem<T extends WebhookItem['type']>(
  parsed: ParsedWebhook,
  type: T,
): Extract<WebhookItem, { type: T }> {
  expect(parsed.items).toHaveLength(1);
  const item = parsed.items[0];
  expect(item?.type).toBe(type);
  return item as Extract<WebhookItem, { type: T }>;
}
