import { HANDOFF_USAGE, parseHandoffCommand } from '../../../src/services/handoff-command';

describe('/handoff arguments', () => {
  it.each([
    ['', { ok: true }],
    ['  ', { ok: true }],
    ['pool', { ok: true, target: { kind: 'pool' } }],
    ['POOL', { ok: true, target: { kind: 'pool' } }],
    ['<@U0BRUNO|bruno>', { ok: true, target: { kind: 'user', userId: 'U0BRUNO' } }],
    ['<@U0BRUNO>', { ok: true, target: { kind: 'user', userId: 'U0BRUNO' } }],
    ['to <@U0BRUNO|bruno>', { ok: true, target: { kind: 'user', userId: 'U0BRUNO' } }],
    ['<#C0SUPPORT01|support>', { ok: true, target: { kind: 'channel', channelId: 'C0SUPPORT01' } }],
    ['from <@U0ANA|ana>', { ok: true, fromUserId: 'U0ANA' }],
    ['from <@U0ANA|ana> to <@U0BRUNO|bruno>', { ok: true, fromUserId: 'U0ANA', target: { kind: 'user', userId: 'U0BRUNO' } }],
    ['From <@U0ANA|ana> TO pool', { ok: true, fromUserId: 'U0ANA', target: { kind: 'pool' } }],
  ])('reads "%s"', (text, expected) => {
    expect(parseHandoffCommand(text)).toEqual(expected);
  });

  it.each(['help', 'to', 'bruno', 'from', 'from <@U0ANA|ana> bruno', 'from <@U0ANA|ana> to', '<@U0ANA> <@U0BRUNO>'])('answers "%s" with the usage', (text) => {
    expect(parseHandoffCommand(text)).toEqual({ ok: false, message: HANDOFF_USAGE });
  });

  it('names a person Slack did not recognise', () => {
    expect(parseHandoffCommand('@nobody')).toEqual({ ok: false, message: expect.stringContaining('I do not know @nobody') });
    expect(parseHandoffCommand('from @ghost to pool')).toEqual({ ok: false, message: expect.stringContaining('@ghost') });
  });

  it('refuses handing someone their own conversations', () => {
    expect(parseHandoffCommand('from <@U0ANA|ana> to <@U0ANA|ana>')).toEqual({ ok: false, message: expect.stringContaining('same person') });
  });
});
