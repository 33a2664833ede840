// The folder boundaries hold: biome and the web type check report every planted forbidden import and Node global.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const fixtures = join(import.meta.dirname, 'fixtures');
const folders = ['shared', 'renderer', 'electron', 'server'] as const;
const boundaryRules = new Set([
  'lint/style/noRestrictedImports',
  'lint/style/noRestrictedGlobals',
  'lint/correctness/noNodejsModules',
]);

type Marked = { file: string; line: number; text: string };

/** Lines of the fixtures marked with `// forbidden` (or `// forbidden-global`), as `folder/file`. */
async function marked(marker: RegExp): Promise<Marked[]> {
  const out: Marked[] = [];
  for (const folder of folders) {
    for (const name of await readdir(join(fixtures, folder))) {
      const lines = (await readFile(join(fixtures, folder, name), 'utf8')).split('\n');
      lines.forEach((text, i) => {
        if (marker.test(text)) out.push({ file: `${folder}/${name}`, line: i + 1, text });
      });
    }
  }
  return out;
}

/** Runs a command that is expected to fail (it reports problems) and returns its stdout. */
async function reported(cmd: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { cwd, maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

describe('lint boundaries', () => {
  let mirror: string;

  beforeAll(async () => {
    // A mirror of the checkout's layout with the real biome.json, so the per-folder overrides
    // apply to the fixtures without ever placing them where the normal lint run would see them.
    mirror = await mkdtemp(join(tmpdir(), 'poptill-lint-'));
    const config = JSON.parse(await readFile(join(root, 'biome.json'), 'utf8'));
    delete config.$schema;
    config.vcs = { enabled: false };
    await writeFile(join(mirror, 'biome.json'), JSON.stringify(config));
    for (const folder of folders)
      await cp(join(fixtures, folder), join(mirror, folder), { recursive: true });
  });

  afterAll(async () => {
    await rm(mirror, { recursive: true, force: true });
  });

  it('reports every forbidden import and Node global in each folder, and nothing allowed', async () => {
    const stdout = await reported(
      join(root, 'node_modules/.bin/biome'),
      ['lint', '--reporter=json', '--max-diagnostics=none', ...folders],
      mirror,
    );
    const diagnostics = (
      JSON.parse(stdout) as {
        diagnostics: { category: string; location: { path: string; start: { line: number } } }[];
      }
    ).diagnostics.filter((d) => boundaryRules.has(d.category));
    const hit = new Set(diagnostics.map((d) => `${d.location.path}:${d.location.start.line}`));
    const expected = await marked(/\/\/ forbidden/);
    expect(expected.length).toBeGreaterThanOrEqual(30);
    const missed = expected.filter((m) => !hit.has(`${m.file}:${m.line}`)).map((m) => m.text);
    expect(missed).toEqual([]);
    const wanted = new Set(expected.map((m) => `${m.file}:${m.line}`));
    expect([...hit].filter((h) => !wanted.has(h))).toEqual([]);
  });

  it('the web type check knows no Node globals in shared/ and renderer/', async () => {
    // Inside node_modules so `types` and packages resolve as for the real web config, and
    // outside every folder the normal type check includes.
    const probe = await mkdtemp(join(root, 'node_modules/.tmp/lint-probe-'));
    try {
      const files: string[] = [];
      for (const folder of ['shared', 'renderer']) {
        await mkdir(join(probe, folder));
        await cp(join(fixtures, folder, 'globals.ts'), join(probe, folder, 'globals.ts'));
        files.push(`${folder}/globals.ts`);
      }
      await writeFile(
        join(probe, 'tsconfig.json'),
        JSON.stringify({
          extends: join(root, 'tsconfig.web.json'),
          compilerOptions: { incremental: false, tsBuildInfoFile: null },
          include: [],
          files,
        }),
      );
      const stdout = await reported(
        process.execPath,
        [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty', 'false'],
        probe,
      );
      const failed = new Set(
        [...stdout.matchAll(/^(\S+)\((\d+),\d+\): error/gm)].map((m) => `${m[1]}:${m[2]}`),
      );
      const expected = (await marked(/forbidden-global/)).map((m) => `${m.file}:${m.line}`);
      expect(expected.length).toBe(8);
      expect(expected.filter((e) => !failed.has(e))).toEqual([]);
    } finally {
      await rm(probe, { recursive: true, force: true });
    }
  });

  it('the web program pulls in no Node types, server/, electron/ or test/ code', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.web.json', '--listFilesOnly'],
      { cwd: root, maxBuffer: 32 * 1024 * 1024 },
    );
    const leaks = stdout
      .split('\n')
      .filter((f) => /@types\/node\/|\/(server|electron|test)\/|\.test\.tsx?$/.test(f));
    expect(leaks).toEqual([]);
  });
});
