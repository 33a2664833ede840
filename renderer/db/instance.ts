// The app's one database instance.
import { openPosDb } from './db';

export const posDb = openPosDb();
