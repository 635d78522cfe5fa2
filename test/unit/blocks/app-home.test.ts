import { type AppHomeInput, type TeammateView, buildAppHome } from '../../../blocks/app-home';
import type { QueueRowView } from '../../../blocks/queue-list';
import type { SlackMessage } from '../../../blocks/types';
import { ActionIds } from '../../../src/ids';
import { MARKUP_NAME, allText, findLiteralBold, listLimitViolations } from './slack-limits';

const now = new Date('2026-11-24T12:00:00Z');

function row(id: number): QueueRowView {
  return {
    conversationId: id,
    customer: { name: `Customer ${id}` },
    state: 'waiting_on_agent',
    ownerId: 'U0ANA',
    waitingSince: new Date(now.getTime() - 3_600_000),
    window: { open: true, closesAt: new Date(now.getTime() + 3_600_000) },
    permalink: `https://acme.slack.com/archives/C0INBOX/p1700000000${String(id).padStart(6, '0')}`,
  };
}

function teammate(userId: string, overrides: Partial<TeammateView> = {}): TeammateView {
  return { userId, role: 'agent', fixedAdmin: false, openCount: 0, ...overrides };
}

function home(overrides: Partial<AppHomeInput> = {}): AppHomeInput {
  return {
    userId: 'U0ANA',
    role: 'agent',
    mine: { rows: [row(1), row(2)], total: 2 },
    counts: { unassigned: 3, waiting_on_agent: 2, waiting_on_customer: 1 },
    now,
    ...overrides,
  };
}

function asMessage(view: { blocks: SlackMessage['blocks'] }): SlackMessage {
  return { text: 'home', blocks: view.blocks };
}

/** The message rules per block; a Home tab allows 100 blocks instead of 50, so it is checked in halves. */
function listHomeViolations(view: { blocks: SlackMessage['blocks'] }): string[] {
  const ids = view.blocks.map((b) => b.block_id).filter(Boolean);
  const duplicates = ids.length === new Set(ids).size ? [] : ['block_id repeated'];
  return [
    ...duplicates,
    ...listLimitViolations({ text: 'home', blocks: view.blocks.slice(0, 50) }),
    ...(view.blocks.length > 50 ? listLimitViolations({ text: 'home', blocks: view.blocks.slice(50) }) : []),
  ];
}

function elementsOf(view: { blocks: unknown[] }): { action_id?: string; value?: string }[] {
  return (view.blocks as { elements?: unknown[]; accessory?: unknown }[]).flatMap((b) => [
    ...((b.elements ?? []) as { action_id?: string }[]),
    ...(b.accessory ? [b.accessory as { action_id?: string }] : []),
  ]);
}

describe('buildAppHome', () => {
  it('shows my conversations with links, the queue counts and a Start shift button when off shift', () => {
    const view = buildAppHome(home());
    const text = JSON.stringify(view);
    expect(view.type).toBe('home');
    expect(text).toContain('*Your open conversations* (2)');
    expect(text).toContain('https://acme.slack.com/archives/C0INBOX/p1700000000000001');
    expect(text).toContain('3 unassigned  ·  2 waiting on agent  ·  1 waiting on customer');
    expect(elementsOf(view)).toContainEqual(expect.objectContaining({ action_id: ActionIds.homeShiftToggle, value: 'on' }));
    expect(text).not.toContain('Team');
    expect(listHomeViolations(view)).toEqual([]);
  });

  it('shows my customers’ names as written even when they contain mrkdwn characters', () => {
    const view = buildAppHome(home({ mine: { rows: [{ ...row(1), customer: { name: MARKUP_NAME } }], total: 1 } }));
    const labels = findLiteralBold(asMessage(view), /Star.*Shop.*Co.*Sons/);
    expect(labels).toHaveLength(1);
    expect(labels[0]).not.toMatch(/[*_~`<>]/);
  });

  it('offers End shift and says since when while on shift', () => {
    const view = buildAppHome(home({ onShiftSince: new Date('2026-11-24T09:00:00Z') }));
    expect(elementsOf(view)).toContainEqual(expect.objectContaining({ action_id: ActionIds.homeShiftToggle, value: 'off' }));
    expect(JSON.stringify(view)).toContain('*On shift* since');
    expect(JSON.stringify(view)).toContain('(3 h)');
  });

  it('shows admins each teammate with buttons for the roles they do not have, and channel routing', () => {
    const view = buildAppHome(
      home({
        role: 'admin',
        admin: {
          teammates: [teammate('U0ANA', { role: 'admin', fixedAdmin: true }), teammate('U0BRUNO', { role: 'manager', openCount: 4 })],
          channels: [{ channelId: 'C0INBOX001', mode: 'round_robin' }, { channelId: 'C0SALES01', mode: 'manual', reminderMinutes: 10 }],
          defaults: { reminderMinutes: 30, releaseMinutes: 30 },
        },
      }),
    );
    const text = JSON.stringify(view);
    expect(text).toContain('<@U0BRUNO>  ·  manager  ·  off shift  ·  4 open');
    expect(text).toContain('admin (ADMIN_USER_IDS)');
    const roleButtons = elementsOf(view).filter((e) => e.value === 'U0BRUNO');
    expect(roleButtons.map((e) => e.action_id).sort()).toEqual([ActionIds.homeMakeAdmin, ActionIds.homeMakeAgent].sort());
    expect(elementsOf(view).filter((e) => e.value === 'U0ANA')).toEqual([]);
    expect(elementsOf(view)).toContainEqual(expect.objectContaining({ action_id: ActionIds.homeAddTeammate }));
    expect(text).toContain('<#C0INBOX001>: round robin among agents on shift');
    expect(text).toContain('<#C0SALES01>: manual (claim only)  ·  remind the owner after 10 min, take it back 30 min later');
  });

  it('stays within a Home tab’s 100 blocks with a big team and many conversations', () => {
    const view = buildAppHome(
      home({
        role: 'admin',
        noticeMrkdwn: 'Only admins can set roles.',
        mine: { rows: Array.from({ length: 40 }, (_, i) => row(i + 1)), total: 250 },
        admin: {
          teammates: Array.from({ length: 80 }, (_, i) => teammate(`U${String(i).padStart(4, '0')}X`)),
          channels: [{ channelId: 'C0INBOX001', mode: 'least_open' }],
          defaults: { reminderMinutes: 30, releaseMinutes: 30 },
        },
      }),
    );
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(listHomeViolations(view)).toEqual([]);
    const text = JSON.stringify(view);
    expect(text).toContain('+235 more: `/queue mine` lists them all');
    expect(text).toMatch(/\+\d+ more teammates/);
    expect(text).toContain('Routing');
    expect(text).toContain('⚠️ Only admins can set roles.');
  });

  it('points to /queue unassigned when I own nothing', () => {
    expect(allText(asMessage(buildAppHome(home({ mine: { rows: [], total: 0 } }))))).toContain('/queue unassigned');
  });
});
