import type { App, BlockAction, ButtonAction, UsersSelectAction } from '@slack/bolt';
import type { RoleView } from '../../blocks/app-home';
import type { Deps } from '../../src/deps';
import { ActionIds, slackUserId as userId } from '../../src/ids';
import { addTeammateFromHome, setRoleFromHome } from '../../src/services/home';


const ROLE_ACTIONS = [
  [ActionIds.homeMakeAgent, 'agent'],
  [ActionIds.homeMakeManager, 'manager'],
  [ActionIds.homeMakeAdmin, 'admin'],
] as const satisfies readonly (readonly [string, RoleView])[];

/** Admins on Home: a teammate's role buttons, and the picker that adds a teammate. setRole checks the clicker. */
export function registerHomeSetRole(app: App, deps: Deps): void {
  for (const [actionId, role] of ROLE_ACTIONS) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const target = userId.safeParse(action.value);
      if (!target.success) return;
      await setRoleFromHome(deps, { actorId: body.user.id, targetId: target.data, role });
    });
  }
  app.action<BlockAction<UsersSelectAction>>(ActionIds.homeAddTeammate, async ({ ack, body, action }) => {
    await ack();
    const target = userId.safeParse(action.selected_user);
    if (!target.success) return;
    await addTeammateFromHome(deps, { actorId: body.user.id, targetId: target.data });
  });
}
