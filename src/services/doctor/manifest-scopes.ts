import manifest from '../../../manifest.json';

/** The bot scopes the app is created with (manifest.json); an install missing any of them half-works. */
export const MANIFEST_BOT_SCOPES: readonly string[] = manifest.oauth_config.scopes.bot;
