/**
 * What `npm start` prints in sandbox mode. Loud on purpose: the sandbox's secrets are public constants, its data is
 * made up and forgotten on exit, and nobody should take it for a deployment that talks to Slack or WhatsApp.
 */
export function buildSandboxBanner(args: { url: string; host: string; ignored: readonly string[]; database: 'pglite' | 'postgres' }): string {
  const rule = '═'.repeat(74);
  const lines = [
    '',
    `╔${rule}╗`,
    `║${'  SANDBOX MODE: not connected to Slack or WhatsApp'.padEnd(74)}║`,
    `╚${rule}╝`,
    '',
    `  Open the playground:  ${args.url}`,
    '',
    '  No Slack or WhatsApp credentials are set, so threadline runs against built-in emulators of both, with',
    '  made-up people and customers. Play a customer on the phone and the team in Slack, side by side.',
    args.database === 'pglite'
      ? '  Its database is a throwaway one: everything is forgotten when you stop it.'
      : '  Its database is SANDBOX_DATABASE_URL: use a throwaway one, the emulators start empty on every run.',
  ];
  if (args.ignored.length > 0) {
    lines.push(`  ${args.ignored.join(' and ')} ${args.ignored.length === 1 ? 'is' : 'are'} set but not used: the sandbox never touches a real deployment's data.`);
  }
  if (args.host === '127.0.0.1' || args.host === '::1' || args.host === 'localhost') {
    lines.push('  Only this machine can reach it (HOST=127.0.0.1).');
  } else {
    lines.push(`  ⚠ HOST=${args.host}: other machines can reach this sandbox, and its secrets are public. Unset HOST to keep it local.`);
  }
  lines.push(
    '',
    '  To run for real, set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, WHATSAPP_ACCESS_TOKEN, WHATSAPP_APP_SECRET,',
    '  WHATSAPP_VERIFY_TOKEN and SLACK_CHANNEL (README → Configuration).',
    '',
  );
  return lines.join('\n');
}
