import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../src/deps';
import { ActionIds } from '../../src/ids';
import { toggleShiftFromHome } from '../../src/services/home';

const toggleValue = z.enum(['on', 'off']);

/** The Home tab's Start shift / End shift button; Home is published again to show the new state. */
export function registerHomeShiftToggle(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.homeShiftToggle, async ({ ack, body, action }) => {
    await ack();
    const value = toggleValue.safeParse(action.value);
    if (!value.success) return;
    await toggleShiftFromHome(deps, { userId: body.user.id, turnOn: value.data === 'on', triggerId: body.trigger_id });
  });
}
