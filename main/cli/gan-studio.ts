// The `gan-studio` command line: the same handlers as the UI, with progress bars in the terminal.
import { Command, Option } from 'commander';
import path from 'node:path';
import type { Project } from '../api/contract.js';
import { openStudio, type Studio } from '../studio.js';
import { serveBrowserMode } from './browser-mode.js';
import { call, CliError } from './call.js';
import { followJob } from './job-progress.js';

const program = new Command()
  .name('gan-studio')
  .description('GAN Studio: generate, edit and transform images with GANs, offline.')
  .addOption(new Option('--home <dir>', 'library folder').env('GAN_STUDIO_HOME'));

async function withStudio<T>(run: (studio: Studio) => Promise<T>, startEngine = true): Promise<T> {
  const home = program.opts<{ home?: string }>().home;
  const studio = await openStudio({ ...(home ? { home } : {}), startEngine });
  try {
    return await run(studio);
  } finally {
    await studio.close();
  }
}

async function projectByName(studio: Studio, name: string, create: boolean): Promise<Project> {
  const existing = (await call(studio, 'projects.list', {})).find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (existing) return existing;
  if (!create) throw new CliError(`No project named "${name}". Existing: ${(await call(studio, 'projects.list', {})).map((p) => p.name).join(', ') || 'none'}.`);
  return call(studio, 'projects.create', { name });
}

program
  .command('serve')
  .description('run the studio in browser-window mode on 127.0.0.1')
  .option('--port <n>', 'port (0 = any free port)', (v) => Number.parseInt(v, 10), 0)
  .option('--no-open', 'do not open a browser')
  .action(async (opts: { port: number; open: boolean }) => {
    const home = program.opts<{ home?: string }>().home;
    await serveBrowserMode({ ...(home ? { home } : {}), port: opts.port, open: opts.open });
  });

const library = program.command('library').description('projects and assets');

library
  .command('import <dir>')
  .description('import every image of a folder into a project (created if missing)')
  .option('-p, --project <name>', 'project name', 'Default')
  .option('--no-recursive', 'only the folder itself, not its subfolders')
  .action(async (dir: string, opts: { project: string; recursive: boolean }) => {
    await withStudio(async (studio) => {
      const project = await projectByName(studio, opts.project, true);
      const { jobId } = await call(studio, 'assets.importFolder', { projectId: project.id, path: path.resolve(dir), recursive: opts.recursive });
      const job = await followJob(studio, jobId);
      const result = (job.result ?? {}) as { imported?: number; duplicates?: number; rejected?: { name: string; message: string }[] };
      console.log(`${job.status}: ${result.imported ?? 0} imported, ${result.duplicates ?? 0} duplicates, ${result.rejected?.length ?? 0} rejected into "${project.name}".`);
      for (const bad of result.rejected ?? []) console.log(`  rejected ${bad.name}: ${bad.message}`);
      if (job.status === 'failed') throw new CliError(job.error ?? 'Import failed.');
      if (job.status !== 'succeeded') process.exitCode = 130;
    });
  });

library
  .command('list')
  .description('list projects, or the assets of one project')
  .option('-p, --project <name>', 'project name')
  .option('--json', 'print JSON')
  .action(async (opts: { project?: string; json?: boolean }) => {
    await withStudio(async (studio) => {
      if (!opts.project) {
        const projects = await call(studio, 'projects.list', {});
        if (opts.json) return console.log(JSON.stringify(projects, null, 2));
        if (projects.length === 0) return console.log('No projects yet. Create one with "gan-studio library import <dir> --project NAME".');
        for (const p of projects) console.log(`${String(p.id).padStart(4)}  ${p.name}  (${p.assetCount} assets)  ${p.folder}`);
        return;
      }
      const project = await projectByName(studio, opts.project, false);
      const { items, total } = await call(studio, 'assets.list', { projectId: project.id, limit: 5000 });
      if (opts.json) return console.log(JSON.stringify({ items, total }, null, 2));
      for (const a of items) console.log(`${String(a.id).padStart(6)}  ${a.width}x${a.height}  ${a.format.padEnd(5)} ${a.name}${a.tags.length ? `  [${a.tags.join(', ')}]` : ''}`);
      console.log(`${total} assets in "${project.name}".`);
    }, false);
  });

program
  .command('doctor')
  .description('show the compute backend, the device and why other backends were skipped')
  .action(async () => {
    await withStudio(async (studio) => {
      const info = await call(studio, 'studio.info', {});
      const backend = info.engine.backend;
      console.log(`GAN Studio ${info.version}`);
      console.log(`Library: ${info.libraryPath}`);
      console.log(`Backend: ${backend?.name ?? 'none'} — ${backend?.device ?? 'engine not ready'}`);
      for (const s of backend?.skipped ?? []) console.log(`  skipped ${s.name}: ${s.reason}`);
    });
  });

program.parseAsync().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`gan-studio: ${message}`);
  process.exit(1);
});
