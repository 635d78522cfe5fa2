import { parseQueueRequest } from '../../../src/services/queue-view';
import { parseShiftCommand } from '../../../src/services/shifts';
import { parseThreadlineRequest } from '../../../src/services/threadline-command';

describe('parseQueueRequest', () => {
  it.each([
    ['', { kind: 'default' }],
    ['  ', { kind: 'default' }],
    ['mine', { kind: 'mine' }],
    ['  Unassigned ', { kind: 'unassigned' }],
    ['all', { kind: 'all' }],
    ['digest', { kind: 'digest' }],
    ['<@U0BRUNO|bruno>', { kind: 'user', userId: 'U0BRUNO' }],
    ['<@W0ENTERPRISE>', { kind: 'user', userId: 'W0ENTERPRISE' }],
  ])('reads "%s"', (text, request) => {
    expect(parseQueueRequest(text)).toEqual(request);
  });

  it('does not guess at a name Slack did not turn into a mention', () => {
    expect(parseQueueRequest('@bruno')).toEqual({ kind: 'unknown', text: '@bruno' });
    expect(parseQueueRequest('mine all')).toEqual({ kind: 'unknown', text: 'mine all' });
  });
});

describe('parseShiftCommand', () => {
  it('knows on, off and status, and treats no argument as status', () => {
    expect(parseShiftCommand('on')).toBe('on');
    expect(parseShiftCommand(' OFF ')).toBe('off');
    expect(parseShiftCommand('status')).toBe('status');
    expect(parseShiftCommand('')).toBe('status');
    expect(parseShiftCommand('tomorrow')).toBeUndefined();
  });
});

describe('parseThreadlineRequest', () => {
  it('reads a role change with the mention Slack escaped', () => {
    expect(parseThreadlineRequest('role <@U0BRUNO|bruno> Manager')).toEqual({ kind: 'role', userId: 'U0BRUNO', role: 'manager' });
  });

  it('refuses a role change without a mention or with an unknown role, and says how', () => {
    expect(parseThreadlineRequest('role bruno manager')).toMatchObject({ kind: 'invalid', usage: expect.stringContaining('/threadline role') });
    expect(parseThreadlineRequest('role <@U0BRUNO|bruno> boss')).toMatchObject({ kind: 'invalid' });
  });

  it('reads routing modes, with a hyphen accepted for the underscore', () => {
    expect(parseThreadlineRequest('routing round-robin')).toEqual({ kind: 'routing', mode: 'round_robin' });
    expect(parseThreadlineRequest('routing least_open')).toEqual({ kind: 'routing', mode: 'least_open' });
    expect(parseThreadlineRequest('routing random')).toMatchObject({ kind: 'invalid' });
  });

  it('reads timeouts in minutes, or back to the defaults', () => {
    expect(parseThreadlineRequest('timeouts 20 45')).toEqual({ kind: 'timeouts', reminder: 20, release: 45 });
    expect(parseThreadlineRequest('timeouts default')).toEqual({ kind: 'timeouts', reminder: null, release: null });
    expect(parseThreadlineRequest('timeouts 0 45')).toMatchObject({ kind: 'invalid' });
    expect(parseThreadlineRequest('timeouts 20')).toMatchObject({ kind: 'invalid' });
  });

  it('shows help for nothing or "help", and points to help for anything else', () => {
    expect(parseThreadlineRequest('')).toEqual({ kind: 'help' });
    expect(parseThreadlineRequest('help')).toEqual({ kind: 'help' });
    expect(parseThreadlineRequest('dance')).toMatchObject({ kind: 'invalid', usage: expect.stringContaining('/threadline help') });
  });
});
