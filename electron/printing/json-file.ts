// Owns reading and writing small JSON state files so that a crash or power cut never leaves half a file behind.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

/**
 * Reads `file` and validates it; a missing file is `fallback`. A file that does not parse
 * (edited by hand, or from a newer PopTill) is moved aside, not deleted, and `fallback` used.
 */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
  let problem: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    problem = parsed.error.issues[0]?.message ?? 'invalid';
  } catch (error) {
    problem = (error as Error).message;
  }
  const aside = `${file}.unreadable-${Date.now()}`;
  await rename(file, aside);
  console.error(`PopTill could not read ${file} (${problem}); kept it as ${aside}.`);
  return fallback;
}

/** Write temp file, fsync, rename over the old one: readers see the old or the new file, never a mix. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(value, null, 1)}\n`, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, file);
}
