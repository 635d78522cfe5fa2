import { prepareDatabaseTemplates } from '../helpers/database-templates';

/** Once per `jest` run, before any worker starts: the migrated databases every test database is copied from. */
export default async function globalSetup(): Promise<void> {
  await prepareDatabaseTemplates();
}
