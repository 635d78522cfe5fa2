import { removeDatabaseTemplates } from '../helpers/database-templates';

export default async function globalTeardown(): Promise<void> {
  await removeDatabaseTemplates();
}
