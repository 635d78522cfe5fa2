import { parseWebhook } from '../../../src/whatsapp/webhook-parse';
import { BUSINESS_NUMBER, FIXTURE_TIME, expectOneItem, loadFixture, unixDate, wamidOut } from './load-fixture';

describe('parseWebhook: statuses, errors and other fields', () => {
  it('reads a sent status with its recipient and our callback data', () => {
    const item = expectOneItem(parseWebhook(loadFixture('status-sent')), 'status');
    expect(item.number).toEqual(BUSINESS_NUMBER);
    expect(item.status).toEqual({
      waMessageId: wamidOut(28),
      status: 'sent',
      timestamp: unixDate(FIXTURE_TIME + 10),
      recipientWaId: '15550002222',
      recipientUserId: 'US.7300000000000000001',
      callbackData: 'tl:msg:42',
      errors: [],
      raw: item.status.raw,
    });
    expect(item.status.raw).toMatchObject({ pricing: { pricing_model: 'PMP' } });
  });

  it('reads a delivered status of the same message', () => {
    const item = expectOneItem(parseWebhook(loadFixture('status-delivered')), 'status');
    expect(item.status).toMatchObject({
      waMessageId: wamidOut(28),
      status: 'delivered',
      timestamp: unixDate(FIXTURE_TIME + 12),
      callbackData: 'tl:msg:42',
    });
  });

  it('reads a read status for a BSUID recipient that has no phone number', () => {
    const item = expectOneItem(parseWebhook(loadFixture('status-read')), 'status');
    expect(item.status).toMatchObject({ waMessageId: wamidOut(29), status: 'read', recipientUserId: 'US.7300000000000000003' });
    expect(item.status.recipientWaId).toBeUndefined();
  });

  it('reads a failed status with the 131047 error and its details, without a contacts block', () => {
    const item = expectOneItem(parseWebhook(loadFixture('status-failed')), 'status');
    expect(item.status).toMatchObject({
      waMessageId: wamidOut(30),
      status: 'failed',
      recipientWaId: '15550002222',
      callbackData: 'tl:msg:43',
      errors: [
        {
          code: 131047,
          title: 'Re-engagement message',
          message: 'Re-engagement message',
          details:
            'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        },
      ],
    });
    expect(item.status.recipientUserId).toBeUndefined();
  });

  it('keeps a status string it does not know instead of dropping it', () => {
    const item = expectOneItem(parseWebhook(loadFixture('status-unknown')), 'status');
    expect(item.status).toMatchObject({ waMessageId: wamidOut(31), status: 'deleted', timestamp: unixDate(FIXTURE_TIME + 50) });
  });

  it('turns value-level errors into error items tied to the number', () => {
    const item = expectOneItem(parseWebhook(loadFixture('errors-only')), 'error');
    expect(item).toEqual({
      type: 'error',
      number: BUSINESS_NUMBER,
      field: 'messages',
      error: {
        code: 130429,
        title: 'Rate limit hit',
        message: '(#130429) Rate limit hit',
        details: 'Cloud API message throughput has been reached.',
      },
      raw: expect.objectContaining({ code: 130429 }),
    });
  });

  it('keeps an unhandled field such as account_update as an unknown item with the whole change', () => {
    const json = loadFixture('unknown-field') as { entry: { changes: unknown[] }[] };
    const item = expectOneItem(parseWebhook(json), 'unknown');
    expect(item).toEqual({
      type: 'unknown',
      field: 'account_update',
      reason: 'unhandled field',
      raw: json.entry[0]?.changes[0],
    });
  });
});
