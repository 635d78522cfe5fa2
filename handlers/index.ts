import type { App } from '@slack/bolt';
import type { Deps } from '../src/deps';
import { registerClaimConversation } from './actions/claim-conversation';
import { registerHeldReplyActions } from './actions/held-reply-actions';
import { registerInboxRetry } from './actions/inbox-retry';
import { registerHomeSetRole } from './actions/home-set-role';
import { registerHomeShiftToggle } from './actions/home-shift-toggle';
import { registerOpenHandoff } from './actions/open-handoff';
import { registerReassignConversation } from './actions/reassign-conversation';
import { registerResolveConversation } from './actions/resolve-conversation';
import { registerHandoffCommand } from './commands/handoff';
import { registerQueueCommand } from './commands/queue';
import { registerShiftCommand } from './commands/shift';
import { registerThreadlineCommand } from './commands/threadline';
import { registerAppHomeOpened } from './events/app-home-opened';
import { registerMessageEvents } from './events/message';
import { registerHandoffShortcut } from './shortcuts/handoff-shortcut';
import { registerMembershipEvents } from './events/membership';
import { registerRequestGuard } from './request-guard';
import { registerHandoffSubmitted } from './views/handoff-submitted';
import { registerOpenTemplateModal } from './actions/open-template-modal';
import { registerTemplateModalChanged } from './actions/template-modal-changed';
import { registerTemplateShortcut } from './shortcuts/template-shortcut';
import { registerTemplateSubmitted } from './views/template-submitted';
import { registerSavedReplyPicked } from './actions/saved-reply-picked';
import { registerSavedReplyShortcut } from './shortcuts/saved-reply-shortcut';
import { registerSavedReplySubmitted } from './views/saved-reply-submitted';

/** Every Slack surface item the app answers (the manifest declares the same set). */
export function registerHandlers(app: App, deps: Deps): void {
  // First: what is not in the shape Slack sends never reaches a listener.
  registerRequestGuard(app, deps);
  registerMessageEvents(app, deps);
  registerMembershipEvents(app, deps);
  registerClaimConversation(app, deps);
  registerResolveConversation(app, deps);
  registerReassignConversation(app, deps);
  registerHeldReplyActions(app, deps);
  registerInboxRetry(app, deps);
  registerQueueCommand(app, deps);
  registerShiftCommand(app, deps);
  registerThreadlineCommand(app, deps);
  registerAppHomeOpened(app, deps);
  registerHomeShiftToggle(app, deps);
  registerHomeSetRole(app, deps);
  registerHandoffCommand(app, deps);
  registerOpenHandoff(app, deps);
  registerHandoffShortcut(app, deps);
  registerHandoffSubmitted(app, deps);
  registerOpenTemplateModal(app, deps);
  registerTemplateModalChanged(app, deps);
  registerTemplateShortcut(app, deps);
  registerTemplateSubmitted(app, deps);
  registerSavedReplyShortcut(app, deps);
  registerSavedReplyPicked(app, deps);
  registerSavedReplySubmitted(app, deps);
}
