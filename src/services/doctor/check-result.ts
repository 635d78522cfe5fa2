/** One line of `threadline doctor`: what was checked, what was found and, when it is broken, what to do. */
export type CheckStatus = 'ok' | 'fail' | 'warn';

export interface CheckResult {
  status: CheckStatus;
  /** Short name of the check: "Slack bot token", "channel #inbox", … */
  name: string;
  /** What was found, in a few words. */
  detail: string;
  /** What to do; every failure has one. */
  fix?: string | undefined;
}

export const passed = (name: string, detail: string): CheckResult => ({ status: 'ok', name, detail });
export const failed = (name: string, detail: string, fix: string): CheckResult => ({ status: 'fail', name, detail, fix });
export const warned = (name: string, detail: string, fix?: string): CheckResult => ({ status: 'warn', name, detail, fix });
