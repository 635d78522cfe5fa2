import { MAX_CLOCK_SKEW_SECONDS, isFreshTimestamp, isRoutableSlackBody } from '../../../src/slack/request-screen';

const NOW = 1_800_000_000;
const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
const FORM = 'application/x-www-form-urlencoded';
const user = { id: 'U0ANA' };

describe('isFreshTimestamp: Slack request timestamps within 5 minutes of now, past or future', () => {
  it.each([
    ['now', NOW, true],
    ['4 min 59 s ago', NOW - 299, true],
    ['exactly 5 min ago', NOW - MAX_CLOCK_SKEW_SECONDS, true],
    ['5 min 1 s ago', NOW - 301, false],
    ['4 min ahead', NOW + 240, true],
    ['10 min ahead', NOW + 600, false],
    ['a day ahead', NOW + 86_400, false],
    ['ten years ahead', NOW + 10 * 365 * 86_400, false],
  ])('%s', (_what, ts, fresh) => {
    expect(isFreshTimestamp(String(ts), NOW)).toBe(fresh);
  });

  it.each([undefined, '', 'abc', '1.8e9', '-1', `${NOW}.5`, ' 1800000000', '9'.repeat(40)])('refuses %p', (header) => {
    expect(isFreshTimestamp(header, NOW)).toBe(false);
  });
});

describe('isRoutableSlackBody: what Bolt can classify without throwing', () => {
  it('takes the shapes Slack sends', () => {
    expect(isRoutableSlackBody(JSON.stringify({ type: 'event_callback', event: { type: 'message', channel: 'C1', user: 'U1' } }), 'application/json')).toBe(true);
    expect(isRoutableSlackBody(JSON.stringify({ type: 'event_callback', event: { type: 'message' }, authorizations: [{ team_id: 'T1' }] }), 'application/json')).toBe(true);
    expect(isRoutableSlackBody(JSON.stringify({ type: 'event_callback', event: { type: 'message' }, authorizations: [] }), 'application/json')).toBe(true);
    expect(isRoutableSlackBody(JSON.stringify({ type: 'url_verification', challenge: 'x' }), 'application/json')).toBe(true);
    expect(isRoutableSlackBody(form({ type: 'block_actions', user, team: null, actions: [{ action_id: 'a' }] }), FORM)).toBe(true);
    expect(isRoutableSlackBody(form({ type: 'view_submission', user, view: { id: 'V1' } }), FORM)).toBe(true);
    expect(isRoutableSlackBody(form({ type: 'message_action', user, channel: { id: 'C1' } }), FORM)).toBe(true);
    expect(isRoutableSlackBody(new URLSearchParams({ command: '/queue', user_id: 'U1' }).toString(), FORM)).toBe(true);
    expect(isRoutableSlackBody('ssl_check=1&token=x', FORM)).toBe(true);
  });

  it.each([
    ['not JSON', 'nope', 'application/json'],
    ['a JSON array', '[1]', 'application/json'],
    ['no type', JSON.stringify({ event: { type: 'message' } }), 'application/json'],
    ['an event callback without an event', JSON.stringify({ type: 'event_callback' }), 'application/json'],
    ['an event whose channel is a number', JSON.stringify({ type: 'event_callback', event: { type: 'message', channel: 5 } }), 'application/json'],
    ['an event whose user is null', JSON.stringify({ type: 'event_callback', event: { type: 'message', user: null } }), 'application/json'],
    ['an event whose subteam is null', JSON.stringify({ type: 'event_callback', event: { type: 'subteam_created', subteam: null } }), 'application/json'],
    ['an event whose team id is a list', JSON.stringify({ type: 'event_callback', team_id: [[1]], event: { type: 'message' } }), 'application/json'],
    ['an event whose authorization names a team by a list', JSON.stringify({ type: 'event_callback', event: { type: 'message' }, authorizations: [{ team_id: [] }] }), 'application/json'],
    ['an event whose user object has a list for an id', JSON.stringify({ type: 'event_callback', event: { type: 'team_join', user: { id: [[]] } } }), 'application/json'],
    ['an event whose item channel is an object', JSON.stringify({ type: 'event_callback', event: { type: 'reaction_added', item: { channel: {} } } }), 'application/json'],
    ['an action whose team id is a list', form({ type: 'block_actions', user, team: { id: [[]] }, actions: [{ action_id: 'a' }] }), FORM],
    ['a shortcut whose user id is a number', form({ type: 'message_action', user: { id: 5 }, channel: { id: 'C1' } }), FORM],
    ['a view submission whose installing team is a list', form({ type: 'view_submission', user, view: { id: 'V1', app_installed_team_id: [] } }), FORM],
    ['an event whose first authorization is null', JSON.stringify({ type: 'event_callback', event: { type: 'message' }, authorizations: [null] }), 'application/json'],
    ['an action without a user', form({ type: 'block_actions', actions: [{ action_id: 'a' }] }), FORM],
    ['actions that are not a list', form({ type: 'block_actions', user, actions: 5 }), FORM],
    ['an empty actions list', form({ type: 'block_actions', user, actions: [] }), FORM],
    ['a null channel', form({ type: 'block_actions', user, channel: null, actions: [{ action_id: 'a' }] }), FORM],
    ['a view submission without a view', form({ type: 'view_submission', user }), FORM],
    ['an interaction type Bolt does not know', form({ type: 'what', user }), FORM],
    ['a payload that is not JSON', 'payload=%7Bnope', FORM],
    ['a form that is neither a payload nor a command', 'hello=world', FORM],
  ])('refuses %s', (_what, body, contentType) => {
    expect(isRoutableSlackBody(body, contentType)).toBe(false);
  });
});
