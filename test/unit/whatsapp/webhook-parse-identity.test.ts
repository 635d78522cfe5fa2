import { parseWebhook } from '../../../src/whatsapp/webhook-parse';
import type { WebhookItem } from '../../../src/whatsapp/webhook-types';
import { BUSINESS_NUMBER, FIXTURE_TIME, expectOneItem, loadFixture, unixDate, wamidIn, wamidOut } from './load-fixture';

function messageItems(items: WebhookItem[]) {
  return items.flatMap((item) => (item.type === 'message' ? [item] : []));
}

describe('parseWebhook: who sent it', () => {
  it('reports a phone number change with the new wa_id and BSUID, though system messages carry no contacts', () => {
    const item = expectOneItem(parseWebhook(loadFixture('system-changed-number')), 'message');
    expect(item.contact).toEqual({ waId: '15550002222', userId: 'US.7300000000000000001' });
    expect(item.message.content).toEqual({
      kind: 'system',
      systemType: 'user_changed_number',
      body: 'User Alice changed from 15550002222 to 15550006666',
      newWaId: '15550006666',
      newUserId: 'US.7300000000000000011',
    });
  });

  it('reports a BSUID change with the new user id and no phone number', () => {
    const item = expectOneItem(parseWebhook(loadFixture('system-changed-user-id')), 'message');
    expect(item.contact).toEqual({ userId: 'US.7300000000000000003' });
    expect(item.message.content).toEqual({
      kind: 'system',
      systemType: 'user_changed_user_id',
      body: "User Carol's business-scoped user ID changed",
      newUserId: 'US.7300000000000000013',
    });
  });

  it('accepts a 2026 username sender with a BSUID and no phone number at all', () => {
    const item = expectOneItem(parseWebhook(loadFixture('text-username-no-phone')), 'message');
    expect(item.contact).toEqual({ userId: 'US.7300000000000000003', username: 'carol.designs', profileName: 'Carol' });
    expect(item.contact.waId).toBeUndefined();
    expect(item.message.content).toEqual({ kind: 'text', body: 'Hey, do you do custom embroidery?' });
  });

  it('pairs each message of a batch with its own contact by id, not by array position', () => {
    const parsed = parseWebhook(loadFixture('batch-two-contacts'));
    expect(parsed.items).toHaveLength(2);
    const [alice, bob] = messageItems(parsed.items);
    expect(alice?.contact).toEqual({ waId: '15550002222', userId: 'US.7300000000000000001', profileName: 'Alice' });
    expect(alice?.message).toMatchObject({
      waMessageId: wamidIn(24),
      content: { kind: 'text', body: 'Café order for pickup at 5?' },
    });
    expect(bob?.contact).toEqual({ waId: '15550003333', userId: 'US.7300000000000000002', profileName: 'Bob' });
    expect(bob?.message).toMatchObject({
      waMessageId: wamidIn(25),
      timestamp: unixDate(FIXTURE_TIME + 2),
      content: { kind: 'media', mediaType: 'audio', voice: true },
    });
  });

  it('reads every entry and every change of one POST, in order, including unhandled fields', () => {
    const parsed = parseWebhook(loadFixture('multi-entry-multi-change'));
    expect(parsed.items.map((item) => item.type)).toEqual(['message', 'status', 'message', 'unknown']);
    const [first, status, second, unknown] = parsed.items;
    expect(first).toMatchObject({
      number: BUSINESS_NUMBER,
      contact: { waId: '15550002222' },
      message: { waMessageId: wamidIn(26), content: { kind: 'text', body: 'First message' } },
    });
    expect(status).toMatchObject({
      number: BUSINESS_NUMBER,
      status: { waMessageId: wamidOut(26), status: 'delivered', timestamp: unixDate(FIXTURE_TIME + 1) },
    });
    expect(second).toMatchObject({
      number: { phoneNumberId: '100000000000005', displayPhoneNumber: '15550004444', wabaId: '200000000000002' },
      contact: { waId: '15550003333', profileName: 'Bob' },
      message: { waMessageId: wamidIn(27), content: { kind: 'text', body: 'Second number, second message' } },
    });
    expect(unknown).toEqual({
      type: 'unknown',
      field: 'account_update',
      reason: 'unhandled field',
      raw: { value: { phone_number: '15550001111', event: 'VERIFIED_ACCOUNT' }, field: 'account_update' },
    });
  });
});
