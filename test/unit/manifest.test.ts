import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';

const ROOT = path.resolve(__dirname, '../..');
const BOLT_ENDPOINT = 'https://YOUR-THREADLINE-HOST/slack/events';

interface Manifest {
  display_information: { name: string; description?: string; long_description?: string; background_color?: string };
  features: {
    app_home: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean; messages_tab_read_only_enabled?: boolean };
    bot_user: { display_name: string; always_online?: boolean };
    shortcuts: { name: string; type: string; callback_id: string; description: string }[];
    slash_commands: { command: string; url?: string; description: string; usage_hint?: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Slack's v1 schema, vendored so the test needs no network (slack.md §8.1). It spells one pattern as
 * `regex` (display_information.background_color) and annotates with `_note`; Ajv's strict mode rejects
 * unknown keywords, so `regex` is honoured as a pattern and `_note` is accepted as an annotation.
 */
function compileManifestValidator() {
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  ajv.addKeyword({ keyword: '_note', schemaType: 'string' });
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
  });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  const schema = readJson(path.join(ROOT, 'test/fixtures/slack-manifest-schema/manifest.schema.1.0.0.json'));
  return ajv.compile(schema as object);
}

const validate = compileManifestValidator();

function listSchemaErrors(manifest: unknown): Pick<ErrorObject, 'instancePath' | 'keyword'>[] {
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(({ instancePath, keyword }) => ({ instancePath, keyword }));
}

function readManifest(): Manifest {
  return readJson(path.join(ROOT, 'manifest.json')) as Manifest;
}

describe('manifest.json', () => {
  it("is valid against Slack's published v1 manifest schema", () => {
    expect(listSchemaErrors(readManifest())).toEqual([]);
  });

  it('subscribes to channel messages (public and private), App Home opens, and joins and leaves', () => {
    expect(readManifest().settings.event_subscriptions.bot_events.sort()).toEqual(
      ['app_home_opened', 'member_joined_channel', 'member_left_channel', 'message.channels', 'message.groups'].sort(),
    );
  });

  it('has the scopes channel membership needs: users.conversations and the member events (channels:read, groups:read)', () => {
    expect(readManifest().oauth_config.scopes.bot).toEqual(expect.arrayContaining(['channels:read', 'groups:read']));
  });

  it('declares the four slash commands with their usage hints', () => {
    const hints = Object.fromEntries(readManifest().features.slash_commands.map((c) => [c.command, c.usage_hint]));
    expect(hints).toEqual({
      '/queue': '[mine | unassigned | all | @user | digest]',
      '/handoff': '[@user | pool | from @a to @b]',
      '/shift': 'on | off | status',
      '/threadline': 'role @user agent|manager|admin | routing manual|round_robin|least_open | timeouts <min> <min> | help',
    });
  });

  it("sends events, interactivity and every command to Bolt's single endpoint (slack.md §9.1)", () => {
    const m = readManifest();
    const urls = [
      m.settings.event_subscriptions.request_url,
      m.settings.interactivity.request_url,
      ...m.features.slash_commands.map((c) => c.url),
    ];
    expect(urls).toHaveLength(6);
    expect(new Set(urls)).toEqual(new Set([BOLT_ENDPOINT]));
  });

  it('enables interactivity and offers the "Hand off conversation" message shortcut', () => {
    const m = readManifest();
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.features.shortcuts).toContainEqual(
      expect.objectContaining({ name: 'Hand off conversation', type: 'message', callback_id: 'handoff_shortcut' }),
    );
  });

  it('has a Home tab and no writable Messages tab', () => {
    const home = readManifest().features.app_home;
    expect(home.home_tab_enabled).toBe(true);
    expect(home.messages_tab_enabled === false || home.messages_tab_read_only_enabled === true).toBe(true);
  });

  it('asks for exactly the bot scopes the app uses', () => {
    expect(readManifest().oauth_config.scopes.bot.sort()).toEqual(
      [
        'chat:write',
        'chat:write.customize',
        'chat:write.public',
        'channels:history',
        'groups:history',
        'channels:read',
        'groups:read',
        'reactions:write',
        'reactions:read',
        'files:read',
        'files:write',
        'users:read',
        'im:write',
        'commands',
      ].sort(),
    );
  });

  it('names the app and its bot "threadline", always online', () => {
    const m = readManifest();
    expect(m.display_information).toEqual(
      expect.objectContaining({
        name: 'threadline',
        description: expect.any(String),
        long_description: expect.any(String),
        background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
      }),
    );
    expect(m.features.bot_user).toEqual({ display_name: 'threadline', always_online: true });
  });

  it('runs over HTTP with plain bot tokens in one workspace', () => {
    const { socket_mode_enabled, org_deploy_enabled, token_rotation_enabled } = readManifest().settings;
    expect({ socket_mode_enabled, org_deploy_enabled, token_rotation_enabled }).toEqual({
      socket_mode_enabled: false,
      org_deploy_enabled: false,
      token_rotation_enabled: false,
    });
  });
});

describe('the manifest schema check', () => {
  it('rejects a manifest without display_information.name', () => {
    const m = readManifest() as unknown as { display_information: Record<string, unknown> };
    delete m.display_information.name;
    expect(listSchemaErrors(m)).toContainEqual({ instancePath: '/display_information', keyword: 'required' });
  });

  it('rejects a slash command without its leading slash', () => {
    const m = readManifest();
    m.features.slash_commands[0]!.command = 'queue';
    expect(listSchemaErrors(m)).toContainEqual({ instancePath: '/features/slash_commands/0/command', keyword: 'pattern' });
  });

  it('rejects a long_description shorter than 175 characters', () => {
    const m = readManifest();
    m.display_information.long_description = 'Too short.';
    expect(listSchemaErrors(m)).toContainEqual({ instancePath: '/display_information/long_description', keyword: 'minLength' });
  });

  it('rejects a background colour that is not a hex colour', () => {
    const m = readManifest();
    m.display_information.background_color = 'green';
    expect(listSchemaErrors(m)).toContainEqual({ instancePath: '/display_information/background_color', keyword: 'regex' });
  });

  it('rejects a field Slack does not know', () => {
    const m = readManifest() as unknown as { settings: Record<string, unknown> };
    m.settings.socket_mode = true;
    expect(listSchemaErrors(m)).toContainEqual({ instancePath: '/settings', keyword: 'additionalProperties' });
  });
});
